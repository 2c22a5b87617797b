import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en, zh } from '../../web/src/i18n/messages';

/** English texts that are Chinese on purpose: the language switch, and Chinese words shown as examples or as printed on a document. */
const DELIBERATELY_CHINESE = new Set([
  'nav.language', // the switch names the language it switches to: 中文
  'widget.language',
  'syn.contextHint', // its example is a Chinese synonym group
  'verify.codeHint', // the statement's section is printed as 核验
  'verify.demoNote', // the statement's stamp reads 示例
]);

const FULL_WIDTH_OR_CJK = /[：（），\u3000-\u303f\u3400-\u9fff\uff01-\uff5e]/;
const withoutPlaceholders = (text: string) => text.replace(/\{\w+\}/g, '');
const hasLatinWord = (text: string) => /[A-Za-z]{2,}/.test(withoutPlaceholders(text));
const hasChinese = (text: string) => /[\u3400-\u9fff]/.test(text);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('Chinese and English have the same messages', () => {
  assert.deepEqual(Object.keys(zh).filter((k) => !(k in en)), [], 'keys with no English text');
  assert.deepEqual(Object.keys(en).filter((k) => !(k in zh)), [], 'keys with no Chinese text');
});

test('an English message has no full-width punctuation or Chinese characters', () => {
  const offending = Object.entries(en).filter(([key, text]) => !DELIBERATELY_CHINESE.has(key) && FULL_WIDTH_OR_CJK.test(text));
  assert.deepEqual(offending, []);
});

test('a Chinese message holds one language, not "中文 / English"', () => {
  const bilingual = Object.entries(zh).filter(([, text]) =>
    text.split(' / ').some((side, i, sides) => i > 0 && ((hasChinese(sides[i - 1]) && hasLatinWord(side)) || (hasLatinWord(sides[i - 1]) && hasChinese(side)))),
  );
  assert.deepEqual(bilingual, []);
});

test('both languages fill the same placeholders', () => {
  const mismatched = Object.keys(zh)
    .filter((key) => key in en)
    .filter((key) => placeholders(zh[key as keyof typeof zh]).join() !== placeholders(en[key as keyof typeof en]).join());
  assert.deepEqual(mismatched, []);
});
