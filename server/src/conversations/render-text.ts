import { Marked, type Token, type Tokens } from 'marked';
import { cjkEmphasis } from '../../../common/markdown';

const markdown = new Marked(cjkEmphasis);

/**
 * Markdown (how answers are written and stored) as plain text for channels without rich text
 * (WeChat, QQ, SMS-like apps, text-to-speech): emphasis dropped, lists as "- " or "1. " lines,
 * links as "text（url）", tables as "a｜b" lines, paragraphs separated by a blank line.
 */
export function markdownToPlainText(text: string): string {
  const blocks = markdown.lexer(text).map(block).filter((b) => b !== '');
  return blocks.join('\n\n').replace(/\n{3,}/g, '\n\n').trim();
}

function inline(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  return tokens
    .map((t) => {
      switch (t.type) {
        case 'link': {
          const label = inline((t as Tokens.Link).tokens);
          const href = (t as Tokens.Link).href;
          return label && label !== href ? `${label}（${href}）` : href;
        }
        case 'image':
          return (t as Tokens.Image).text;
        case 'br':
          return '\n';
        case 'codespan':
          return (t as Tokens.Codespan).text;
        case 'html':
          return '';
        case 'escape':
        case 'text':
          return 'tokens' in t && t.tokens ? inline(t.tokens as Token[]) : (t as Tokens.Text).text;
        default:
          return 'tokens' in t && t.tokens ? inline(t.tokens as Token[]) : ((t as { text?: string }).text ?? '');
      }
    })
    .join('');
}

function block(t: Token): string {
  switch (t.type) {
    case 'heading':
    case 'paragraph':
      return inline((t as Tokens.Paragraph).tokens);
    case 'list': {
      const list = t as Tokens.List;
      const start = typeof list.start === 'number' ? list.start : 1;
      return list.items.map((item, i) => `${list.ordered ? `${start + i}.` : '-'} ${item.tokens.map(block).filter(Boolean).join('\n')}`).join('\n');
    }
    case 'blockquote':
      return (t as Tokens.Blockquote).tokens.map(block).join('\n');
    case 'table': {
      const table = t as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => inline(c.tokens)).join('｜');
      return [row(table.header), ...table.rows.map(row)].join('\n');
    }
    case 'code':
      return (t as Tokens.Code).text;
    case 'text':
      return inline((t as Tokens.Text).tokens) || (t as Tokens.Text).text;
    case 'space':
    case 'hr':
    case 'html':
      return '';
    default:
      return (t as { text?: string }).text ?? '';
  }
}
