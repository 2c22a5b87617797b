/** Safe Markdown rendering for text the browser renders itself (editor preview, robot answers). */
import { marked, type Tokens } from 'marked';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const SAFE_URL = /^(https?:|mailto:|tel:|\/|#)/i;

// The editor's preview renders Markdown locally: raw HTML is shown as text and links are limited
// to safe schemes, so a draft cannot run script in a reviewer's browser. The published page uses
// the server's sanitized answerHtml instead.
const renderer = new marked.Renderer();
renderer.html = ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text);
const baseLink = renderer.link.bind(renderer);
renderer.link = (token: Tokens.Link) => (SAFE_URL.test(token.href) ? baseLink(token) : escapeHtml(token.text));
renderer.image = ({ text }: Tokens.Image) => escapeHtml(text);

/** Markdown to HTML for the editor preview, with raw HTML escaped. */
export function renderPreview(markdown: string): string {
  return marked.parse(markdown, { async: false, renderer, gfm: true }) as string;
}
