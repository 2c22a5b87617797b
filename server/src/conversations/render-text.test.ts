import assert from 'node:assert/strict';
import { it } from 'node:test';
import { markdownToPlainText } from './render-text';

it('answers written in Markdown read well as plain text on channels without rich text', () => {
  const answer = [
    '职工基本养老保险由**单位和个人**共同缴纳：',
    '',
    '1. 单位缴纳工资总额的**16%**；',
    '2. 个人缴纳本人工资的8%。',
    '',
    '- 详见[社保政策](https://example.gov.cn/policy)',
    '',
    '| 险种 | 单位 | 个人 |',
    '| --- | --- | --- |',
    '| 养老 | 16% | 8% |',
  ].join('\n');
  assert.equal(
    markdownToPlainText(answer),
    ['职工基本养老保险由单位和个人共同缴纳：', '', '1. 单位缴纳工资总额的16%；', '2. 个人缴纳本人工资的8%。', '', '- 详见社保政策（https://example.gov.cn/policy）', '', '险种｜单位｜个人', '养老｜16%｜8%'].join('\n'),
  );
  assert.equal(markdownToPlainText('没有格式的回答'), '没有格式的回答');
});
