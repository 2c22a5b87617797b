import type { Bilingual, Lang } from './language';

/** What an error says: one text for both languages (codes, ids), or a Chinese and an English text. */
export type ErrorMessage = string | Bilingual;

/** An error the client caused or may see: carries an HTTP status, a stable code and a message in both languages. */
export class AppError extends Error {
  /** The message in each language; the error handler answers in the caller's. */
  readonly messages: Bilingual;

  constructor(
    public status: number,
    public code: string,
    message: ErrorMessage,
    public field?: string,
  ) {
    const messages = typeof message === 'string' ? { zh: message, en: message } : message;
    // Error.message stays Chinese, the default language, for logs and stored job failures
    super(messages.zh);
    this.messages = messages;
    this.name = 'AppError';
  }

  /** The message in one language. */
  messageIn(lang: Lang): string {
    return this.messages[lang];
  }
}

export const badRequest = (code: string, message: ErrorMessage, field?: string) => new AppError(400, code, message, field);
export const unauthorized = (code = 'unauthenticated', message: ErrorMessage = { zh: '请先登录', en: 'sign-in required' }) =>
  new AppError(401, code, message);
export const forbidden = (code = 'forbidden', message: ErrorMessage = { zh: '无权执行此操作', en: 'not allowed' }) => new AppError(403, code, message);
/** 404 for a missing record; `what` names it in Chinese (and, when given, in English). */
export const notFound = (what: string | Bilingual = '资源', code = 'not_found') =>
  new AppError(404, code, typeof what === 'string' ? { zh: `${what}不存在`, en: 'not found' } : { zh: `${what.zh}不存在`, en: `${what.en} not found` });
export const conflict = (code: string, message: ErrorMessage) => new AppError(409, code, message);
