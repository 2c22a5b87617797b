import type { MarkedExtension, Tokens } from 'marked';

/**
 * CommonMark only closes `**bold**` when the closing `**` is followed by a space or punctuation,
 * which Chinese text rarely has: `工资总额的**16%**缴纳` would show the asterisks. This inline rule
 * reads `**…**` (and `__…__`) as bold regardless of the characters around it. Server and browser
 * both use it so the preview matches the published page.
 */
export const cjkEmphasis: MarkedExtension = {
  extensions: [
    {
      name: 'cjkStrong',
      level: 'inline',
      start: (src: string) => {
        const at = src.search(/\*\*|__/);
        return at < 0 ? undefined : at;
      },
      tokenizer(this: { lexer: { inlineTokens(text: string): Tokens.Generic[] } }, src: string) {
        const match = /^(\*\*|__)(?=\S)([^\n]*?\S)\1/.exec(src);
        if (!match || match[2].includes(match[1])) return undefined;
        return { type: 'strong', raw: match[0], text: match[2], tokens: this.lexer.inlineTokens(match[2]) };
      },
    },
  ],
};
