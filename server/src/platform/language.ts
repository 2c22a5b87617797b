import type { IncomingHttpHeaders } from 'node:http';

/** The two languages of every user-facing text; Chinese is the default. */
export type Lang = 'zh' | 'en';

/** A text in both languages, for the caller to pick one. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * The caller's language from its Accept-Language header: English when the header starts with `en`,
 * otherwise Chinese (the hotline's language, also when the header is missing).
 */
export function languageOf(request: { headers: IncomingHttpHeaders | Record<string, string | string[] | undefined> }): Lang {
  const header = request.headers['accept-language'];
  return /^\s*en\b/i.test(String(Array.isArray(header) ? header[0] : (header ?? ''))) ? 'en' : 'zh';
}

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/**
 * A legacy one-string text `中文 / English` (zod schema messages, shared validators) as its two
 * languages: split at the last " / " with Chinese before it and none after; a text that is not of
 * that shape is the same in both.
 */
export function splitBilingual(text: string): Bilingual {
  for (let at = text.lastIndexOf(' / '); at > 0; at = text.lastIndexOf(' / ', at - 1)) {
    const zh = text.slice(0, at).trimEnd();
    const en = text.slice(at + 3);
    if (CJK.test(zh) && !CJK.test(en)) return { zh, en };
  }
  return { zh: text, en: text };
}

/** A text given as its two languages, or as one legacy string `中文 / English`. */
export const bilingualOf = (text: string | Bilingual): Bilingual => (typeof text === 'string' ? splitBilingual(text) : text);

const isBilingual = (x: unknown): x is Bilingual => !!x && typeof x === 'object' && typeof (x as Bilingual).zh === 'string' && typeof (x as Bilingual).en === 'string';

/** An error's row problems (`{row, field, message}` of an import) with each message in one language. */
export function detailsIn(details: unknown, lang: Lang): unknown {
  if (!Array.isArray(details)) return details;
  return details.map((d: unknown) => {
    const message = d && typeof d === 'object' ? (d as { message?: unknown }).message : undefined;
    return typeof message === 'string' || isBilingual(message) ? { ...(d as object), message: bilingualOf(message)[lang] } : d;
  });
}
