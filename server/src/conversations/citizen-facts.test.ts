import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calculatorOfEntry, prefillFor } from './calculator-offers';
import { extractCitizenFacts as facts, mergeFacts } from './citizen-facts';
import { ACCEPT_OFFER, explicitCalculation, personalCalculation } from './read-answer';

describe('what a citizen says about themself', () => {
  it('reads gender, birth year and month, and age in everyday wording', () => {
    assert.deepEqual(facts('我男的1966年3月生的到底哪年能退'), { gender: 'male', birthYear: 1966, birthMonth: 3 });
    assert.equal(facts('本人女，66年3月出生').birthMonth, 3);
    assert.equal(facts('本人女，66年3月出生').birthYear, 1966);
    assert.equal(facts('我是女同志').gender, 'female');
    assert.equal(facts('女的').gender, 'female');
    assert.deepEqual(facts('出生于1966.3'), { birthYear: 1966, birthMonth: 3 });
    assert.deepEqual(facts('我一九六六年三月生的'), { birthYear: 1966, birthMonth: 3 });
    assert.deepEqual(facts('我1970年生的'), { birthYear: 1970 }, 'a year without its month');
    assert.equal(facts('我今年56').age, 56);
    assert.equal(facts('我56岁了，还能交社保吗').age, 56);
  });

  it('says nothing about the speaker from a general question', () => {
    assert.deepEqual(facts('女职工多少岁退休'), {});
    assert.deepEqual(facts('我女儿失业了怎么办'), {});
    assert.equal(facts('交了15年生活费').birthYear, undefined);
  });

  it('reads contribution years and unemployment-insurance months', () => {
    assert.equal(facts('我交了15年社保能领多少退休金').contributionYears, 15);
    assert.equal(facts('我交了15年社保能领多少退休金').unemploymentMonths, undefined, 'a pension question says nothing of unemployment insurance');
    assert.equal(facts('缴费十五年了').contributionYears, 15);
    assert.equal(facts('15年社保').contributionYears, 15);
    assert.equal(facts('交了8个月失业保险').unemploymentMonths, 8);
    assert.equal(facts('交了一年半').unemploymentMonths, 18);
    assert.equal(facts('交了一年半').contributionYears, 1.5);
    assert.equal(facts('1966年3月生').contributionYears, undefined);
  });

  it('reads why the job ended', () => {
    assert.equal(facts('我是自己辞职的').separationReason, 'voluntaryResignation');
    assert.equal(facts('我是自己不干了的，失业金有我的份吗').separationReason, 'voluntaryResignation');
    assert.equal(facts('主动辞职能领吗').separationReason, 'voluntaryResignation');
    assert.equal(facts('合同到期不续了').separationReason, 'contractExpiredNotRenewed');
    assert.equal(facts('厂里不要我了怎么办').separationReason, 'employerTerminated');
    assert.equal(facts('我被公司辞退了').separationReason, 'employerTerminated');
    assert.equal(facts('单位拖欠工资我被迫走了').separationReason, 'forcedResignation');
  });

  it('reads a flexible worker, an employee and a monthly wage', () => {
    assert.equal(facts('我是灵活就业人员').personType, 'flexible');
    assert.equal(facts('我在公司上班，月薪8000').personType, 'employee');
    assert.equal(facts('我在公司上班，月薪8000').monthlyWage, 8000);
    assert.equal(facts('我工资一个月三千五').monthlyWage, 3500);
  });

  it('a later statement replaces an earlier one', () => {
    assert.deepEqual(mergeFacts({ gender: 'male', birthYear: 1966, birthMonth: 3 }, { birthYear: 1968 }), { gender: 'male', birthYear: 1968 });
  });
});

describe('calculators offered and started', () => {
  it('tells a request to compute from a question about one’s own case', () => {
    assert.equal(explicitCalculation('帮我算一下我什么时候退休'), 'retirement-age');
    assert.equal(explicitCalculation('测算养老金'), 'pension-estimate');
    assert.equal(explicitCalculation('算算我能领多少失业金'), 'unemployment-benefit');
    assert.equal(explicitCalculation('职工基本养老金是怎么计算的？'), undefined, 'how a pension is computed is a knowledge question');
    assert.equal(explicitCalculation('我交了15年社保能领多少退休金'), undefined);
    assert.equal(personalCalculation('我交了15年社保能领多少退休金'), 'pension-estimate');
    assert.equal(personalCalculation('我交了20年社保，退休能拿多少'), 'pension-estimate');
    assert.equal(personalCalculation('我男的1966年3月生的到底哪年能退'), 'retirement-age');
    assert.equal(personalCalculation('我自己辞职的能领失业金不'), 'unemployment-benefit');
    assert.equal(personalCalculation('我是自己不干了的，失业金有我的份吗'), 'unemployment-benefit');
    assert.equal(personalCalculation('失业金怎么申请'), undefined);
    for (const yes of ['好的', '好', '算一下', '帮我算算', '可以', '行', '嗯', '1', '算一算']) assert.ok(ACCEPT_OFFER.test(yes), yes);
    assert.ok(!ACCEPT_OFFER.test('好的失业金怎么申请'), 'a new question is no acceptance');
  });

  it('links entries to calculators and fills in only values an input accepts', () => {
    assert.equal(calculatorOfEntry('yl-023'), 'pension-estimate');
    assert.equal(calculatorOfEntry('sy-003'), 'unemployment-benefit');
    assert.equal(calculatorOfEntry('yl-030'), undefined);
    assert.deepEqual(prefillFor('retirement-age', { gender: 'male', birthYear: 1966 }).map((p) => p.inputId), ['gender'], 'a year alone is no year-month');
    assert.deepEqual(prefillFor('retirement-age', { gender: 'male', birthYear: 1966, birthMonth: 3 }).map((p) => p.value), ['male', '1966-03']);
    assert.deepEqual(prefillFor('pension-estimate', { contributionYears: 15 }), [{ inputId: 'contributionYears', value: 15, said: '缴费年限 15 年' }]);
    assert.deepEqual(prefillFor('contribution', { personType: 'flexible', monthlyWage: 8000 }).map((p) => p.inputId), ['personType']);
  });
});
