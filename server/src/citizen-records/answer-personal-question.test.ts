import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { personalQuestionOf } from './answer-personal-question';

describe('which questions the citizen’s own record answers', () => {
  it('reads “how many years have I paid”, “my account”, “my application” in callers’ words', () => {
    for (const q of ['我交了几年社保', '我社保一共交了多少年了', '俺交了多少年养老保险', '我的缴费年限是多少', '帮我查查我交了多少年社保']) assert.equal(personalQuestionOf(q), 'paid_years', q);
    for (const q of ['我的个人账户有多少钱', '我养老账户里余额多少']) assert.equal(personalQuestionOf(q), 'account', q);
    for (const q of ['我的退休申请办到哪一步了', '我的社保卡补办好了没', '我的转移手续办到哪了']) assert.equal(personalQuestionOf(q), 'applications', q);
  });

  it('leaves calculations and how-to questions to the calculators and the knowledge base', () => {
    for (const q of ['我交了15年社保能领多少退休金', '缴费年限怎么查', '养老保险要交多少年', '个人账户余额怎么计算', '交满15年能领多少', '帮我算一下我什么时候退休']) assert.equal(personalQuestionOf(q), undefined, q);
  });
});
