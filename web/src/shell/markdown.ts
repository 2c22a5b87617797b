/** Safe Markdown rendering for text the browser renders itself (editor preview, robot answers). */
import { Marked, type MarkedExtension, type Tokens } from 'marked';
import { cjkEmphasis } from '../../../common/markdown';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const SAFE_URL = /^(https?:|mailto:|tel:|\/|#)/i;

// The editor's preview renders Markdown locally: raw HTML is shown as text and links are limited
// to safe schemes, so a draft cannot run script in a reviewer's browser. The published page uses
// the server's sanitized answerHtml instead. Returning false falls back to marked's own renderer.
const safeRenderer: MarkedExtension = {
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    link: (token: Tokens.Link) => (SAFE_URL.test(token.href) ? false : escapeHtml(token.text)),
    image: ({ text }: Tokens.Image) => escapeHtml(text),
  },
};

// The same extension as the server (`**16%**缴纳` is bold in Chinese text), so the preview and the
// robot's answers look like the published page.
const markdown = new Marked({ gfm: true }, cjkEmphasis, safeRenderer);

/** Markdown to HTML for the editor preview and robot answers, with raw HTML escaped. */
export function renderPreview(text: string): string {
  return markdown.parse(text, { async: false }) as string;
}
