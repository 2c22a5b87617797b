import type { RuleSetDef } from '../types';


/** 失业保险金 — RULESETS.md §5. */
export const unemploymentBenefit: RuleSetDef = {
  id: 'unemployment-benefit',
  name: { zh: '失业保险金', en: 'Unemployment benefit' },
  description: {
    zh: '判断失业人员能否领取失业保险金、最长领取期限和每月标准。',
    en: 'Whether an unemployed person can receive unemployment benefit, for how many months at most, and how much a month.',
  },
  version: '2025.1',
  effectiveFrom: '2025-01-01',
  legalBasis: '社会保险法 第四十五条、第四十六条、第四十七条、第五十一条；失业保险条例 第十四条、第十五条、第十七条、第十八条；失业保险金申领发放办法 第四条；人社部发〔2017〕71号',
  inputs: [
    {
      id: 'separationReason',
      type: 'enum',
      label: { zh: '离职原因', en: 'Why the job ended' },
      question: { zh: '您是因为什么原因离开上一家单位的？', en: 'Why did your last job end?' },
      options: [
        { id: 'employerTerminated', label: { zh: '用人单位解除劳动合同（辞退、裁员、开除、除名等）', en: 'The employer ended the contract (dismissal, redundancy …)' } },
        { id: 'contractExpiredNotRenewed', label: { zh: '劳动合同期满终止，未续订', en: 'The contract expired and was not renewed' } },
        { id: 'forcedResignation', label: { zh: '因用人单位过错被迫解除劳动合同（如拖欠工资、未依法缴纳社会保险费，劳动合同法第三十八条）', en: "Forced resignation because of the employer's fault (unpaid wages, unpaid social insurance …)" } },
        { id: 'voluntaryResignation', label: { zh: '本人主动辞职', en: 'I resigned of my own accord' } },
        { id: 'retired', label: { zh: '已达到退休年龄或已办理退休', en: 'I reached retirement age or retired' } },
      ],
    },
    {
      id: 'contributionMonths',
      type: 'integer',
      label: { zh: '失业保险累计缴费月数', en: 'Months of unemployment contributions' },
      question: {
        zh: '失业前您（和单位）累计缴纳失业保险费多少个月？',
        en: 'For how many months in total were unemployment contributions paid for you before you lost your job?',
      },
      min: 0,
      max: 600,
      unit: { zh: '个月', en: 'months' },
    },
    {
      id: 'registeredUnemployed',
      type: 'boolean',
      label: { zh: '已办理失业登记并有求职要求', en: 'Registered as unemployed and looking for work' },
      question: { zh: '您是否已经办理失业登记，并有求职要求？', en: 'Have you registered as unemployed, and are you looking for work?' },
    },
    {
      id: 'receivingPension',
      type: 'boolean',
      label: { zh: '已按月领取基本养老金', en: 'Receiving a monthly basic pension' },
      question: { zh: '您目前是否已经按月领取基本养老金？', en: 'Are you already receiving a monthly basic pension?' },
    },
  ],
  outputs: [
    { id: 'eligible', type: 'boolean', label: { zh: '是否符合领取条件', en: 'Eligible' } },
    {
      id: 'ineligibleReasons',
      type: 'codes',
      label: { zh: '不符合条件的原因', en: 'Reasons for ineligibility' },
      companion: true,
      codes: {
        insufficientContribution: { zh: '失业前累计缴费不满一年', en: 'less than one year of contributions before unemployment' },
        voluntarySeparation: { zh: '非“非因本人意愿中断就业”（主动辞职或退休）', en: 'the job did not end involuntarily (resignation or retirement)' },
        notRegistered: { zh: '未办理失业登记或无求职要求', en: 'not registered as unemployed or not looking for work' },
        receivingPension: { zh: '已享受基本养老保险待遇', en: 'already receiving a basic pension' },
      },
    },
    { id: 'maxMonths', type: 'integer', label: { zh: '最长领取期限', en: 'Maximum benefit period' }, unit: { zh: '个月', en: 'months' }, nullable: true },
    { id: 'monthlyAmount', type: 'money', label: { zh: '失业保险金月标准', en: 'Monthly benefit' }, unit: { zh: '元', en: 'yuan' }, nullable: true },
  ],
  parameters: [
    { name: 'minContributionMonths', key: 'unemploymentBenefit.minContributionMonths', label: { zh: '最低缴费月数', en: 'Minimum months of contributions' } },
    { name: 'durationBands', key: 'unemploymentBenefit.durationBands', label: { zh: '领取期限档次表', en: 'Duration bands' } },
    { name: 'minimumMonthlyWage', key: 'unemploymentBenefit.minimumMonthlyWage', label: { zh: '月最低工资标准', en: 'Monthly minimum wage' } },
    { name: 'benefitRatio', key: 'unemploymentBenefit.benefitRatio', label: { zh: '失业保险金占最低工资比例', en: 'Benefit ratio' } },
  ],
  rules: [
    {
      id: 'UB-1',
      title: { zh: '领取条件', en: 'Conditions' },
      citation: '社会保险法 第四十五条、第五十一条；失业保险条例 第十四条、第十五条；失业保险金申领发放办法 第四条',
      set: {
        eligible:
          'contributionMonths >= minContributionMonths and (separationReason in ["employerTerminated", "contractExpiredNotRenewed", "forcedResignation"]) and registeredUnemployed and not(receivingPension)',
        ineligibleReasons: `concatenate(
          if established(contributionMonths < minContributionMonths) then ["insufficientContribution"] else [],
          if established(separationReason in ["voluntaryResignation", "retired"]) then ["voluntarySeparation"] else [],
          if established(registeredUnemployed = false) then ["notRegistered"] else [],
          if established(receivingPension) then ["receivingPension"] else [])`,
      },
      why: {
        zh: '领取失业保险金须同时满足：失业前累计缴费满一年、非因本人意愿中断就业、已办理失业登记并有求职要求、未享受基本养老保险待遇。结论：{eligible|not}符合条件；不符合的原因：{ineligibleReasons}。',
        en: 'All four conditions must hold: at least a year of contributions, an involuntary end of the job, registration as unemployed, no basic pension. Eligible: {eligible}; reasons against: {ineligibleReasons}.',
      },
    },
    {
      id: 'UB-2',
      title: { zh: '领取期限', en: 'Duration' },
      citation: '社会保险法 第四十六条；失业保险条例 第十七条',
      when: 'eligible',
      set: {
        maxMonths:
          'durationBands[item.fromMonths <= contributionMonths and (item.toMonths = null or contributionMonths <= item.toMonths)][1].maxMonths',
      },
      why: {
        zh: '您累计缴费{contributionMonths}个月，最长可领取{maxMonths}个月（满1年不足5年12个月，满5年不足10年18个月，10年以上24个月）。',
        en: 'With {contributionMonths} months of contributions you can receive benefit for at most {maxMonths} months.',
      },
    },
    {
      id: 'UB-3',
      title: { zh: '领取标准', en: 'Amount' },
      citation: '社会保险法 第四十七条；失业保险条例 第十八条；人社部发〔2017〕71号',
      when: 'eligible',
      set: { monthlyAmount: 'round2(minimumMonthlyWage * benefitRatio)' },
      why: {
        zh: '失业保险金按月最低工资标准{minimumMonthlyWage|money}元的{benefitRatio|pct}发放，每月{monthlyAmount}元。',
        en: 'The benefit is {benefitRatio|pct} of the monthly minimum wage {minimumMonthlyWage|money}: {monthlyAmount} a month.',
      },
    },
    {
      id: 'UB-4',
      title: { zh: '不符合条件', en: 'Not eligible' },
      citation: '社会保险法 第四十五条',
      when: 'not(eligible)',
      set: { maxMonths: 'null', monthlyAmount: 'null' },
      why: { zh: '不符合领取条件，不能领取失业保险金。', en: 'Not eligible: no unemployment benefit.' },
    },
  ],
  eligibilityOutput: 'eligible',
  changes: [
    {
      input: 'contributionMonths',
      increase: true,
      text: { zh: '再累计缴纳{delta}个月失业保险费（满{value}个月）即可符合缴费条件', en: 'with {delta} more months of contributions (reaching {value}) the contribution condition would be met' },
    },
    {
      input: 'registeredUnemployed',
      values: [true],
      text: { zh: '办理失业登记并有求职要求后即可符合登记条件', en: 'registering as unemployed and looking for work would meet the registration condition' },
    },
  ],
  headlines: [
    {
      when: 'eligible',
      text: {
        zh: '您符合领取失业保险金的条件：每月{monthlyAmount|money}元，最长可领取{maxMonths}个月。',
        en: 'You qualify for unemployment benefit: {monthlyAmount|money} yuan a month for at most {maxMonths} months.',
      },
    },
    {
      when: 'not(eligible)',
      text: {
        zh: '您暂不符合领取失业保险金的条件：{ineligibleReasons}。',
        en: 'You do not qualify for unemployment benefit: {ineligibleReasons}.',
      },
    },
  ],
  notes: [
    { zh: '最低工资标准为示例市演示数据。中止、重新计算领取期限及领取期间的医疗保险不在计算范围内。', en: 'The minimum wage is a demo value. Suspension, restarted periods and medical insurance during the benefit period are out of scope.' },
  ],
  tests: [
    {
      name: '示例A 符合 75个月',
      inputs: { separationReason: 'employerTerminated', contributionMonths: 75, registeredUnemployed: true, receivingPension: false },
      expect: { eligible: true, ineligibleReasons: [], maxMonths: 18, monthlyAmount: 2241 },
    },
    {
      name: '示例B 主动辞职',
      inputs: { separationReason: 'voluntaryResignation', contributionMonths: 30, registeredUnemployed: true, receivingPension: false },
      expect: { eligible: false, ineligibleReasons: ['voluntarySeparation'], maxMonths: null, monthlyAmount: null },
    },
    {
      name: '主动辞职一问即止',
      inputs: { separationReason: 'voluntaryResignation' },
      expect: { eligible: false, ineligibleReasons: ['voluntarySeparation'], maxMonths: null, monthlyAmount: null },
    },
    {
      name: '示例C 两个原因',
      inputs: { separationReason: 'contractExpiredNotRenewed', contributionMonths: 8, registeredUnemployed: false, receivingPension: false },
      expect: { eligible: false, ineligibleReasons: ['insufficientContribution', 'notRegistered'], maxMonths: null, monthlyAmount: null },
    },
    { name: '示例C 第二问即止', inputs: { separationReason: 'contractExpiredNotRenewed', contributionMonths: 8 }, expect: { eligible: false, ineligibleReasons: ['insufficientContribution'] } },
    { name: '11个月', inputs: { separationReason: 'employerTerminated', contributionMonths: 11 }, expect: { ineligibleReasons: ['insufficientContribution'] } },
    { name: '59个月', inputs: { separationReason: 'employerTerminated', contributionMonths: 59, registeredUnemployed: true, receivingPension: false }, expect: { maxMonths: 12 } },
    { name: '60个月', inputs: { separationReason: 'forcedResignation', contributionMonths: 60, registeredUnemployed: true, receivingPension: false }, expect: { maxMonths: 18 } },
    { name: '120个月', inputs: { separationReason: 'employerTerminated', contributionMonths: 120, registeredUnemployed: true, receivingPension: false }, expect: { maxMonths: 24 } },
    { name: '退休且领养老金', inputs: { separationReason: 'retired', contributionMonths: 200, registeredUnemployed: true, receivingPension: true }, expect: { ineligibleReasons: ['voluntarySeparation', 'receivingPension'] } },
    { name: '只领养老金即完成', inputs: { receivingPension: true }, expect: { eligible: false, ineligibleReasons: ['receivingPension'] } },
    { name: '第四问', inputs: { separationReason: 'employerTerminated', contributionMonths: 30, registeredUnemployed: true }, expectQuestion: 'receivingPension' },
    { name: '字符串布尔报错', inputs: { registeredUnemployed: 'true' }, expectErrorField: 'registeredUnemployed' },
  ],
};
