import { create } from 'content-disposition';

/**
 * The `content-disposition` header of a download named `fileName` (RFC 6266): an ASCII
 * `filename="…"` fallback, plus `filename*=UTF-8''…` (RFC 5987/8187) when the name is not plain
 * ASCII, so 二〇九九版, quotes and line breaks reach the browser intact and never break the header.
 */
export function attachment(fileName: string): string {
  // a download is never a path, and control characters have no place in a file name: browsers would
  // rewrite both anyway, so they are replaced here rather than sent percent-encoded
  const safe = fileName.replace(/[\\/]/g, '_').replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '');
  return create(safe || 'download', { type: 'attachment' });
}
