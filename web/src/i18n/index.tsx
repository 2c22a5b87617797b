import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, zh, type MessageKey } from './messages';

export type Lang = 'zh' | 'en';
export type { MessageKey };
const STORAGE_KEY = 'zhixun.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { zh, en };

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* storage blocked: use the default */
  }
  return 'zh';
}

/** Fills `{name}` placeholders. */
export function format(template: string, vars?: Record<string, string | number>) {
  return vars ? template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : template;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

/** Holds the chosen language (persisted in localStorage) and the translate function. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* ignore */
    }
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  }, []);
  const value = useMemo<I18n>(() => {
    const dict = dictionaries[lang];
    return { lang, setLang, t: (key, vars) => format(dict[key] ?? zh[key] ?? key, vars) };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** A text the server sends either plain or as {zh, en}. */
export function pickText(text: unknown, lang: Lang): string {
  if (text == null) return '';
  if (typeof text === 'string' || typeof text === 'number' || typeof text === 'boolean') return String(text);
  if (typeof text === 'object') {
    const o = text as Record<string, unknown>;
    const v = o[lang] ?? o.zh ?? o.en;
    if (typeof v === 'string') return v;
  }
  return JSON.stringify(text);
}

// Dates are shown as the hotline means them: in China time, whatever the browser's zone.
const TIME_ZONE = 'Asia/Shanghai';
const dateParts = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });

/** Year, month, day, hour and minute of a moment in China time; null when it is no date. */
function partsOf(iso: string | number | Date) {
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(dateParts.formatToParts(d).find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute') };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026年12月7日" / "2026-12-07". A plain "2026-12-07" is taken as that day, not as UTC midnight. */
export function formatDate(iso: string | number | Date | null | undefined, lang: Lang) {
  if (iso == null || iso === '') return '';
  const day = typeof iso === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  const p = day ? { year: Number(day[1]), month: Number(day[2]), day: Number(day[3]) } : partsOf(iso);
  if (!p) return String(iso);
  return lang === 'zh' ? `${p.year}年${p.month}月${p.day}日` : `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "14:05", in China time. */
export function formatTime(iso: string | number | Date | null | undefined) {
  if (iso == null || iso === '') return '';
  const p = partsOf(iso);
  return p ? `${pad(p.hour)}:${pad(p.minute)}` : String(iso);
}

/** "2026年12月7日 14:05" / "2026-12-07 14:05": every date and time in the console, workspace and citizen pages. */
export function formatDateTime(iso: string | number | Date | null | undefined, lang: Lang) {
  if (iso == null || iso === '') return '';
  if (!partsOf(iso)) return String(iso);
  return `${formatDate(iso instanceof Date ? iso : new Date(iso), lang)} ${formatTime(iso)}`;
}

/** What antd date pickers show and accept, in both languages: a year-first day, never 07/12/2026. */
export const DATE_PICKER_FORMAT = 'YYYY-MM-DD';
