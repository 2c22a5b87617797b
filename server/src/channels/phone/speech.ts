import type { Config } from '../../platform/config';

/**
 * Speech for the phone line, behind one small interface so a centre can plug in the recogniser and
 * voice it already licenses. `none` (the default): the IVR runs on touch-tones only. `http`: a
 * service speaking this JSON contract (docs/channels-phone.md):
 *   POST {SPEECH_URL}/recognize  {"audioUrl": "..."}            → {"text": "..."}
 *   POST {SPEECH_URL}/synthesize {"text": "...", "lang": "zh-CN"} → {"audioUrl": "..." | null}
 */
export interface SpeechService {
  /** whether recordings can be turned into text (the IVR then listens for spoken words) */
  readonly canRecognize: boolean;
  /** the words in a recording; null when nothing could be recognised (or the service failed) */
  recognize(audioUrl: string): Promise<string | null>;
  /** an address of the text spoken, for the bridge to play; null: the bridge speaks the text itself */
  synthesize(text: string): Promise<string | null>;
}

/** Touch-tones only: nothing is recognised, prompts go out as text. */
export const noSpeech: SpeechService = {
  canRecognize: false,
  recognize: async () => null,
  synthesize: async () => null,
};

/** A speech service over HTTP (JSON). Failures are logged by the caller's fallback, never thrown into a call. */
export function httpSpeech(options: { url: string; apiKey?: string; timeoutMs: number; onError?: (err: unknown, what: string) => void }): SpeechService {
  async function post(path: string, body: unknown): Promise<any> {
    const res = await fetch(`${options.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!res.ok) throw new Error(`speech service ${path}: HTTP ${res.status}`);
    return res.json();
  }
  return {
    canRecognize: true,
    async recognize(audioUrl) {
      try {
        const data = await post('/recognize', { audioUrl });
        const text = typeof data?.text === 'string' ? data.text.trim().slice(0, 500) : '';
        return text || null;
      } catch (err) {
        options.onError?.(err, 'recognize');
        return null;
      }
    },
    async synthesize(text) {
      try {
        const data = await post('/synthesize', { text, lang: 'zh-CN' });
        return typeof data?.audioUrl === 'string' && /^https?:\/\//.test(data.audioUrl) ? data.audioUrl : null;
      } catch (err) {
        options.onError?.(err, 'synthesize');
        return null;
      }
    },
  };
}

/** The speech service the configuration names. */
export function speechFromConfig(config: Config, onError?: (err: unknown, what: string) => void): SpeechService {
  if (config.SPEECH_PROVIDER === 'http' && config.SPEECH_URL) {
    return httpSpeech({ url: config.SPEECH_URL, apiKey: config.SPEECH_API_KEY, timeoutMs: config.SPEECH_TIMEOUT_MS, onError });
  }
  return noSpeech;
}
