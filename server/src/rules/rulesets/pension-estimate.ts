import type { RuleSetDef } from '../types';

const BASIS = '《国务院关于渐进式延迟法定退休年龄的办法》';

/** 基本养老金测算 — RULESETS.md §4. */
export const pensionEstimate: RuleSetDef = {
  id: 'pension-estimate',
  name: { zh: '基本养老金测算', en: 'Basic pension estimate' },
  description: {
    zh: '判断是否满足按月领取基本养老金的最低缴费年限，并估算月基本养老金（基础养老金＋个人账户养老金）。',
    en: 'Checks the minimum contribution years for a monthly pension and estimates the monthly basic pension (basic pension + personal-account pension).',
  },
  version: '2025.1',
  effectiveFrom: '2025-01-01',
  legalBasis: `社会保险法 第十五条、第十六条；${BASIS} 第二条；国发〔2005〕38号`,
  inputs: [
    {
      id: 'retirementYear',
      type: 'integer',
      label: { zh: '退休年份', en: 'Retirement year' },
      question: { zh: '您（预计）在哪一年退休？', en: 'In which year do (will) you retire?' },
      min: 2000,
      max: 2100,
    },
    {
      id: 'contributionYears',
      type: 'decimal',
      scale: 2,
      label: { zh: '累计缴费年限（含视同缴费年限）', en: 'Contribution years (including deemed years)' },
      question: {
        zh: '到退休时您累计缴费多少年（含视同缴费年限）？不足一年的月数按“月数÷12”折算，保留两位小数，例如15年7个月填15.58。',
        en: 'How many contribution years will you have at retirement, including deemed years? Convert months as months ÷ 12, 2 decimals (15 years 7 months = 15.58).',
      },
      min: 0,
      max: 60,
      unit: { zh: '年', en: 'years' },
    },
    {
      id: 'retirementAgeYears',
      type: 'integer',
      label: { zh: '退休年龄（周岁）', en: 'Age at retirement (whole years)' },
      question: { zh: '您退休时的年龄是多少周岁？', en: 'How old (in whole years) are you at retirement?' },
      min: 50,
      max: 70,
      askedWhen: { zh: '仅当满足最低缴费年限', en: 'only when eligible' },
    },
    {
      id: 'averageContributionIndex',
      type: 'decimal',
      scale: 4,
      label: { zh: '本人平均缴费指数', en: 'Average contribution index' },
      question: {
        zh: '您的平均缴费指数是多少？（历年缴费基数与当年社会平均工资之比的平均值；按社会平均工资缴费为1.0，按最低基数缴费为0.6）',
        en: 'What is your average contribution index (1.0 = always contributed on the average wage, 0.6 = on the floor)?',
      },
      min: 0.6,
      max: 3,
      askedWhen: { zh: '仅当满足最低缴费年限', en: 'only when eligible' },
    },
    {
      id: 'personalAccountBalance',
      type: 'money',
      label: { zh: '个人账户储存额（元）', en: 'Personal account balance (yuan)' },
      question: { zh: '您退休时养老保险个人账户储存额是多少元？', en: 'What will your personal pension account balance be at retirement, in yuan?' },
      min: 0,
      max: 100000000,
      unit: { zh: '元', en: 'yuan' },
      askedWhen: { zh: '仅当满足最低缴费年限', en: 'only when eligible' },
    },
  ],
  outputs: [
    { id: 'eligibleMonthly', type: 'boolean', label: { zh: '是否符合按月领取条件', en: 'Meets the minimum for a monthly pension' } },
    { id: 'minContributionYears', type: 'number', label: { zh: '最低缴费年限', en: 'Minimum contribution years' }, unit: { zh: '年', en: 'years' } },
    { id: 'shortfallYears', type: 'number', label: { zh: '尚差缴费年限', en: 'Years missing' }, unit: { zh: '年', en: 'years' } },
    {
      id: 'options',
      type: 'codes',
      label: { zh: '可选择的办法', en: 'Options' },
      codes: {
        continueContributing: { zh: '延长缴费至满最低缴费年限后，按月领取基本养老金', en: 'continue contributing until the minimum is reached, then draw a monthly pension' },
        transferToResidentScheme: { zh: '将养老保险关系转入城乡居民基本养老保险，按规定享受相应待遇', en: "transfer to the urban and rural residents' basic pension scheme and receive its benefits" },
      },
    },
    { id: 'accountDivisor', type: 'integer', label: { zh: '个人账户养老金计发月数', en: 'Account divisor (months)' }, nullable: true },
    { id: 'basicPension', type: 'money', label: { zh: '基础养老金', en: 'Basic pension' }, unit: { zh: '元', en: 'yuan' }, nullable: true },
    { id: 'accountPension', type: 'money', label: { zh: '个人账户养老金', en: 'Personal-account pension' }, unit: { zh: '元', en: 'yuan' }, nullable: true },
    { id: 'monthlyPension', type: 'money', label: { zh: '月基本养老金（估算）', en: 'Estimated monthly basic pension' }, unit: { zh: '元', en: 'yuan' }, nullable: true },
  ],
  parameters: [
    { name: 'baseYears', key: 'minContributionYears.baseYears', label: { zh: '最低缴费年限（2030年前）', en: 'Minimum years before 2030' } },
    { name: 'increaseFromYear', key: 'minContributionYears.increaseFromYear', label: { zh: '最低缴费年限开始提高的年份', en: 'First year of increase' } },
    { name: 'increasePerYear', key: 'minContributionYears.increasePerYear', label: { zh: '每年提高年限', en: 'Increase per year' } },
    { name: 'maxYears', key: 'minContributionYears.maxYears', label: { zh: '最低缴费年限上限', en: 'Maximum minimum years' } },
    { name: 'pensionBaseWage', key: 'pensionEstimate.pensionBaseWage', label: { zh: '基本养老金计发基数', en: 'Pension base wage' } },
    { name: 'accountDivisorByAge', key: 'pensionEstimate.accountDivisorByAge', label: { zh: '个人账户养老金计发月数表', en: 'Account divisor table' } },
  ],
  rules: [
    {
      id: 'PE-1',
      title: { zh: '最低缴费年限', en: 'Minimum years' },
      citation: `${BASIS} 第二条；社会保险法 第十六条`,
      set: {
        minContributionYears:
          'if retirementYear < increaseFromYear then baseYears else min(maxYears, baseYears + increasePerYear * (retirementYear - increaseFromYear + 1))',
        eligibleMonthly: 'contributionYears >= minContributionYears',
      },
      why: {
        zh: '{retirementYear}年退休的最低缴费年限为{minContributionYears}年，您累计缴费{contributionYears}年，{eligibleMonthly|not}满足按月领取基本养老金的条件。',
        en: 'Retiring in {retirementYear}, the minimum is {minContributionYears} years; with {contributionYears} years, meets the condition for a monthly pension: {eligibleMonthly}.',
      },
    },
    {
      id: 'PE-2',
      title: { zh: '未达到最低缴费年限', en: 'Not eligible' },
      citation: '社会保险法 第十六条',
      when: 'not(eligibleMonthly)',
      set: {
        shortfallYears: 'minContributionYears - contributionYears',
        options: '["continueContributing", "transferToResidentScheme"]',
        accountDivisor: 'null',
        basicPension: 'null',
        accountPension: 'null',
        monthlyPension: 'null',
      },
      why: {
        zh: '您尚差{shortfallYears}年缴费。可以：{options}。',
        en: 'You are {shortfallYears} years short. You can: {options}.',
      },
    },
    {
      id: 'PE-3',
      title: { zh: '基础养老金', en: 'Basic pension' },
      citation: '国发〔2005〕38号',
      when: 'eligibleMonthly',
      set: { basicPension: 'round2(pensionBaseWage * (1 + averageContributionIndex) / 2 * contributionYears * 0.01)' },
      why: {
        zh: '基础养老金＝计发基数{pensionBaseWage|money}元×（1＋平均缴费指数{averageContributionIndex}）÷2×缴费年限{contributionYears}×1%＝{basicPension}元。',
        en: 'Basic pension = base {pensionBaseWage|money} × (1 + index {averageContributionIndex}) ÷ 2 × {contributionYears} years × 1% = {basicPension}.',
      },
    },
    {
      id: 'PE-4',
      title: { zh: '个人账户养老金', en: 'Personal-account pension' },
      citation: '国发〔2005〕38号及附件个人账户养老金计发月数表',
      when: 'eligibleMonthly',
      set: {
        accountDivisor: 'get value(accountDivisorByAge, string(retirementAgeYears))',
        accountPension: 'round2(personalAccountBalance / accountDivisor)',
      },
      why: {
        zh: '{retirementAgeYears}岁退休的计发月数为{accountDivisor}，个人账户养老金＝储存额{personalAccountBalance}元÷{accountDivisor}＝{accountPension}元。',
        en: 'Retiring at {retirementAgeYears}, the divisor is {accountDivisor}; {personalAccountBalance} ÷ {accountDivisor} = {accountPension}.',
      },
    },
    {
      id: 'PE-5',
      title: { zh: '月基本养老金', en: 'Total' },
      citation: '社会保险法 第十五条',
      when: 'eligibleMonthly',
      set: {
        monthlyPension: 'basicPension + accountPension',
        shortfallYears: '0',
        options: '[]',
      },
      why: {
        zh: '月基本养老金约为{basicPension}＋{accountPension}＝{monthlyPension}元（本测算未包含过渡性养老金及地方补贴）。',
        en: 'Monthly basic pension ≈ {basicPension} + {accountPension} = {monthlyPension} (transitional pension and local supplements not included).',
      },
    },
  ],
  eligibilityOutput: 'eligibleMonthly',
  changes: [
    {
      input: 'contributionYears',
      increase: true,
      text: { zh: '再缴费{delta}年（累计达到{value}年）即可按月领取基本养老金', en: 'with {delta} more years of contributions (reaching {value} years) you could draw a monthly pension' },
    },
  ],
  headlines: [
    {
      when: 'eligibleMonthly',
      text: {
        zh: '您每月约可领取基本养老金{monthlyPension|money}元（基础养老金{basicPension|money}元＋个人账户养老金{accountPension|money}元）。',
        en: 'You could draw a basic pension of about {monthlyPension|money} yuan a month (basic pension {basicPension|money} + personal-account pension {accountPension|money}).',
      },
    },
    {
      when: 'eligibleMonthly',
      status: 'conditional',
      text: {
        zh: '您符合按月领取基本养老金的条件，其中基础养老金约每月{basicPension|money}元；个人账户养老金还取决于您回答“不知道”的问题。',
        en: 'You meet the condition for a monthly pension; its basic part is about {basicPension|money} yuan a month, and the personal-account part depends on what you answered "don\'t know".',
      },
    },
    {
      when: 'eligibleMonthly',
      status: 'conditional',
      text: {
        zh: '您符合按月领取基本养老金的条件（{retirementYear}年退休须累计缴费满{minContributionYears}年）；金额还取决于您回答“不知道”的问题。',
        en: 'You meet the condition for a monthly pension (retiring in {retirementYear} needs {minContributionYears} years of contributions); the amount depends on what you answered "don\'t know".',
      },
    },
    {
      when: 'not(eligibleMonthly)',
      text: {
        zh: '您暂不符合按月领取基本养老金的条件：{retirementYear}年退休须累计缴费满{minContributionYears}年，您还差{shortfallYears}年。',
        en: 'You do not yet qualify for a monthly pension: retiring in {retirementYear} needs {minContributionYears} years of contributions, and you are {shortfallYears} years short.',
      },
    },
  ],
  notes: [{ zh: '本测算未包含过渡性养老金及地方补贴。计发基数为示例市演示数据。', en: 'This estimate leaves out the transitional pension and local supplements. The pension base wage is a demo value.' }],
  tests: [
    {
      name: '示例A 符合 60岁',
      inputs: { retirementYear: 2030, contributionYears: 30, retirementAgeYears: 60, averageContributionIndex: 1.2, personalAccountBalance: 150000 },
      expect: { eligibleMonthly: true, minContributionYears: 15.5, shortfallYears: 0, options: [], accountDivisor: 139, basicPension: 2475, accountPension: 1079.14, monthlyPension: 3554.14 },
    },
    {
      name: '示例B 不符合',
      inputs: { retirementYear: 2032, contributionYears: 16.25 },
      expect: { eligibleMonthly: false, minContributionYears: 16.5, shortfallYears: 0.25, options: ['continueContributing', 'transferToResidentScheme'], accountDivisor: null, basicPension: null, accountPension: null, monthlyPension: null },
    },
    {
      name: '示例C 符合 63岁',
      inputs: { retirementYear: 2040, contributionYears: 38.5, retirementAgeYears: 63, averageContributionIndex: 0.85, personalAccountBalance: 203456.78 },
      expect: { eligibleMonthly: true, minContributionYears: 20, shortfallYears: 0, options: [], accountDivisor: 117, basicPension: 2670.94, accountPension: 1738.95, monthlyPension: 4409.89 },
    },
    { name: '2030年 15.49年差0.01', inputs: { retirementYear: 2030, contributionYears: 15.49 }, expect: { eligibleMonthly: false, shortfallYears: 0.01 } },
    { name: '2030年 15.5年符合', inputs: { retirementYear: 2030, contributionYears: 15.5 }, expectQuestion: 'retirementAgeYears' },
    {
      name: '指数0.64 15.01年 半进位',
      inputs: { retirementYear: 2025, contributionYears: 15.01, retirementAgeYears: 60, averageContributionIndex: 0.64, personalAccountBalance: 0 },
      expect: { basicPension: 923.12, accountPension: 0 },
    },
    {
      name: '余额170000.85 55岁',
      inputs: { retirementYear: 2025, contributionYears: 20, retirementAgeYears: 55, averageContributionIndex: 1, personalAccountBalance: 170000.85 },
      expect: { accountPension: 1000.01 },
    },
    {
      name: '缺退休年龄',
      inputs: { retirementYear: 2030, contributionYears: 30, averageContributionIndex: 1, personalAccountBalance: 100000 },
      expectQuestion: 'retirementAgeYears',
    },
    { name: '最低年限只需退休年份', inputs: { retirementYear: 2031 }, goal: 'minContributionYears', expect: { minContributionYears: 16 } },
    { name: '缴费年限三位小数报错', inputs: { retirementYear: 2031, contributionYears: 15.555 }, expectErrorField: 'contributionYears' },
  ],
};
