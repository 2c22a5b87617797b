import type { RuleSetDef } from '../types';

const BASIS = '《国务院关于渐进式延迟法定退休年龄的办法》';

/** 法定退休年龄 — RULESETS.md §2. */
export const retirementAge: RuleSetDef = {
  id: 'retirement-age',
  name: { zh: '法定退休年龄', en: 'Statutory retirement age' },
  description: {
    zh: '按渐进式延迟法定退休年龄办法计算法定退休年龄、退休时间、最低缴费年限及弹性退休时间窗口。',
    en: 'Statutory retirement age and month under the gradual postponement from 2025-01-01, the minimum contribution years in that year, and the flexible retirement window.',
  },
  version: '2025.1',
  effectiveFrom: '2025-01-01',
  legalBasis: '全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定（2024-09-13）及附件《国务院关于渐进式延迟法定退休年龄的办法》；人社部发〔2024〕94号；国发〔1978〕104号',
  inputs: [
    {
      id: 'gender',
      type: 'enum',
      label: { zh: '性别', en: 'Gender' },
      question: { zh: '您的性别是？', en: 'What is your gender?' },
      options: [
        { id: 'male', label: { zh: '男', en: 'Male' } },
        { id: 'female', label: { zh: '女', en: 'Female' } },
      ],
    },
    {
      id: 'femaleCategory',
      type: 'enum',
      label: { zh: '女职工原法定退休年龄类别', en: 'Original statutory retirement age (women)' },
      question: {
        zh: '您原来的法定退休年龄是50周岁还是55周岁？（一般工人岗位为50周岁，管理岗位、专业技术岗位为55周岁；不确定的请咨询参保地社保经办机构）',
        en: 'Was your original statutory retirement age 50 (usually worker posts) or 55 (usually management or professional posts)?',
      },
      options: [
        { id: 'worker', label: { zh: '原法定退休年龄50周岁（一般为工人岗位）', en: 'Originally 50 (usually worker posts)' } },
        { id: 'cadre', label: { zh: '原法定退休年龄55周岁（一般为管理岗位、专业技术岗位）', en: 'Originally 55 (usually management or professional posts)' } },
      ],
      askedWhen: { zh: '仅当性别为女', en: 'only when gender = female' },
    },
    {
      id: 'birthYearMonth',
      type: 'yearMonth',
      label: { zh: '出生年月', en: 'Year and month of birth' },
      question: { zh: '您的出生年月是？（例如 1975-06）', en: 'In which year and month were you born? (e.g. 1975-06)' },
      min: '1900-01',
      max: '2099-12',
    },
  ],
  outputs: [
    { id: 'originalAgeMonths', type: 'integer', label: { zh: '原法定退休年龄（月）', en: 'Original statutory age (months)' }, unit: { zh: '个月', en: 'months' } },
    { id: 'delayMonths', type: 'integer', label: { zh: '延迟月数', en: 'Postponement (months)' }, unit: { zh: '个月', en: 'months' } },
    { id: 'statutoryAgeYears', type: 'integer', label: { zh: '改革后法定退休年龄（岁）', en: 'Statutory age (years)' }, unit: { zh: '岁', en: 'years' } },
    { id: 'statutoryAgeMonths', type: 'integer', label: { zh: '改革后法定退休年龄（另加月数）', en: 'Statutory age (extra months)' }, unit: { zh: '个月', en: 'months' } },
    { id: 'retirementYearMonth', type: 'yearMonth', label: { zh: '改革后退休时间', en: 'Statutory retirement month' } },
    { id: 'minContributionYears', type: 'number', label: { zh: '按月领取基本养老金最低缴费年限', en: 'Minimum contribution years for a monthly pension' }, unit: { zh: '年', en: 'years' } },
    { id: 'earliestFlexibleRetirementYearMonth', type: 'yearMonth', label: { zh: '弹性提前退休最早时间', en: 'Earliest flexible early retirement' } },
    { id: 'latestFlexibleRetirementYearMonth', type: 'yearMonth', label: { zh: '弹性延迟退休最晚时间', en: 'Latest flexible late retirement' } },
  ],
  parameters: [
    { name: 'categories', key: 'retirementAge.categories', label: { zh: '各类人员延迟退休节奏表', en: 'Postponement schedule per category' } },
    { name: 'reformStartMonth', key: 'retirementAge.reformStartMonth', label: { zh: '改革起始月份', en: 'Reform start month' } },
    { name: 'flexibleEarlyMaxMonths', key: 'retirementAge.flexibleEarlyMaxMonths', label: { zh: '弹性提前退休最长月数', en: 'Max months of flexible early retirement' } },
    { name: 'flexibleLateMaxMonths', key: 'retirementAge.flexibleLateMaxMonths', label: { zh: '弹性延迟退休最长月数', en: 'Max months of flexible late retirement' } },
    { name: 'baseYears', key: 'minContributionYears.baseYears', label: { zh: '最低缴费年限（2030年前）', en: 'Minimum years before 2030' } },
    { name: 'increaseFromYear', key: 'minContributionYears.increaseFromYear', label: { zh: '最低缴费年限开始提高的年份', en: 'First year of increase' } },
    { name: 'increasePerYear', key: 'minContributionYears.increasePerYear', label: { zh: '每年提高年限', en: 'Increase per year' } },
    { name: 'maxYears', key: 'minContributionYears.maxYears', label: { zh: '最低缴费年限上限', en: 'Maximum minimum years' } },
  ],
  valueLabels: {
    category: {
      male: { zh: '男职工', en: 'men' },
      femaleCadre: { zh: '原法定退休年龄为55周岁的女职工', en: 'women whose original retirement age was 55' },
      femaleWorker: { zh: '原法定退休年龄为50周岁的女职工', en: 'women whose original retirement age was 50' },
    },
  },
  rules: [
    {
      id: 'RA-1',
      title: { zh: '人员类别', en: 'Category' },
      citation: `${BASIS} 第一条`,
      table: {
        inputs: ['gender', 'femaleCategory'],
        outputs: ['category'],
        rows: [
          ['"male"', '-', '"male"'],
          ['"female"', '"cadre"', '"femaleCadre"'],
          ['"female"', '"worker"', '"femaleWorker"'],
        ],
      },
      set: {
        startBirthMonth: 'get value(categories, category).startBirthMonth',
        stepMonths: 'get value(categories, category).stepMonths',
        maxDelayMonths: 'get value(categories, category).maxDelayMonths',
      },
      why: {
        zh: '您属于{category}，延迟退休自{startBirthMonth}出生的人员开始，每{stepMonths}个月延迟1个月，最多延迟{maxDelayMonths}个月。',
        en: 'You are in the category {category}; postponement starts with births in {startBirthMonth}, one month per {stepMonths} months of birth, at most {maxDelayMonths} months.',
      },
    },
    {
      id: 'RA-2',
      title: { zh: '原法定退休年龄', en: 'Original statutory age' },
      citation: `国发〔1978〕104号；${BASIS} 第一条`,
      set: {
        originalAgeMonths: 'get value(categories, category).originalAgeYears * 12',
        originalRetirementYearMonth: 'addMonths(birthYearMonth, originalAgeMonths)',
      },
      why: {
        zh: '原法定退休年龄为{originalAgeMonths|age}（{originalAgeMonths}个月），按原规定应于{originalRetirementYearMonth}退休。',
        en: 'The original statutory age is {originalAgeMonths|age} ({originalAgeMonths} months), so the original retirement month is {originalRetirementYearMonth}.',
      },
    },
    {
      id: 'RA-3',
      title: { zh: '改革前已达原法定退休年龄，不延迟', en: 'No postponement before the reform' },
      citation: `${BASIS} 第一条（从2025年1月1日起）`,
      when: 'originalRetirementYearMonth < reformStartMonth',
      set: { delayMonths: '0' },
      why: {
        zh: '您按原规定的退休时间{originalRetirementYearMonth}早于改革施行月份{reformStartMonth}，不延迟退休；弹性退休时间窗口仍按规定计算，仅供参考。',
        en: 'Your original retirement month {originalRetirementYearMonth} is before the reform took effect ({reformStartMonth}), so there is no postponement; the flexible window is still computed for reference.',
      },
    },
    {
      id: 'RA-4',
      title: { zh: '延迟月数', en: 'Postponement' },
      citation: `${BASIS} 第一条及附件对照表`,
      when: 'originalRetirementYearMonth >= reformStartMonth',
      set: { delayMonths: 'min(maxDelayMonths, floor(monthsBetween(startBirthMonth, birthYearMonth) / stepMonths) + 1)' },
      why: {
        zh: '您出生于{birthYearMonth}，按照每{stepMonths}个月延迟1个月的节奏，延迟{delayMonths}个月（最多{maxDelayMonths}个月）。',
        en: 'Born in {birthYearMonth}, one month of postponement per {stepMonths} months gives {delayMonths} months (at most {maxDelayMonths}).',
      },
    },
    {
      id: 'RA-5',
      title: { zh: '改革后法定退休年龄和退休时间', en: 'Statutory age and month' },
      citation: `${BASIS} 第一条`,
      set: {
        statutoryMonths: 'originalAgeMonths + delayMonths',
        statutoryAgeYears: 'floor(statutoryMonths / 12)',
        statutoryAgeMonths: 'statutoryMonths - statutoryAgeYears * 12',
        retirementYearMonth: 'addMonths(birthYearMonth, statutoryMonths)',
      },
      why: {
        zh: '法定退休年龄为{statutoryAgeYears}岁{statutoryAgeMonths}个月，退休时间为{retirementYearMonth}。',
        en: 'Your statutory retirement age is {statutoryAgeYears} years {statutoryAgeMonths} months; you reach it in {retirementYearMonth}.',
      },
    },
    {
      id: 'RA-6',
      title: { zh: '按月领取养老金最低缴费年限', en: 'Minimum contribution years' },
      citation: `${BASIS} 第二条；社会保险法 第十六条`,
      set: {
        retirementYear: 'yearOf(retirementYearMonth)',
        minContributionYears:
          'if retirementYear < increaseFromYear then baseYears else min(maxYears, baseYears + increasePerYear * (retirementYear - increaseFromYear + 1))',
      },
      why: {
        zh: '您在{retirementYear}年达到法定退休年龄，当年按月领取基本养老金的最低缴费年限为{minContributionYears}年。',
        en: 'You reach the statutory age in {retirementYear}; the minimum contribution for a monthly pension in that year is {minContributionYears} years.',
      },
    },
    {
      id: 'RA-7',
      title: { zh: '弹性提前退休最早时间', en: 'Earliest flexible retirement' },
      citation: `${BASIS} 第三条；人社部发〔2024〕94号`,
      set: { earliestFlexibleRetirementYearMonth: 'addMonths(birthYearMonth, max(originalAgeMonths, statutoryMonths - flexibleEarlyMaxMonths))' },
      why: {
        zh: '弹性提前退休最多提前{flexibleEarlyMaxMonths}个月，且不得低于原法定退休年龄，最早可于{earliestFlexibleRetirementYearMonth}退休（须满足最低缴费年限）。',
        en: 'Flexible early retirement is at most {flexibleEarlyMaxMonths} months early and never below the original age: earliest {earliestFlexibleRetirementYearMonth} (the minimum contribution years must be met).',
      },
    },
    {
      id: 'RA-8',
      title: { zh: '弹性延迟退休最晚时间', en: 'Latest flexible retirement' },
      citation: `${BASIS} 第三条`,
      set: { latestFlexibleRetirementYearMonth: 'addMonths(birthYearMonth, statutoryMonths + flexibleLateMaxMonths)' },
      why: {
        zh: '弹性延迟退休最多延迟{flexibleLateMaxMonths}个月，最晚可于{latestFlexibleRetirementYearMonth}退休。',
        en: 'Flexible late retirement is at most {flexibleLateMaxMonths} months late: latest {latestFlexibleRetirementYearMonth}.',
      },
    },
  ],
  headlines: [
    {
      text: {
        zh: '您的法定退休时间是{retirementYearMonth|ym}，届时年满{statutoryMonths|age}。',
        en: 'You reach the statutory retirement age of {statutoryMonths|age} in {retirementYearMonth|ym}.',
      },
    },
  ],
  notes: [
    {
      zh: '不含特殊工种、病退等“国家另有规定的”情形及公务员特别规定。',
      en: 'Special cases (special types of work, retirement for illness or disability) and civil-servant rules are out of scope.',
    },
  ],
  tests: [
    {
      name: '示例A 男 1971-06',
      inputs: { gender: 'male', birthYearMonth: '1971-06' },
      expect: { originalAgeMonths: 720, delayMonths: 20, statutoryAgeYears: 61, statutoryAgeMonths: 8, retirementYearMonth: '2033-02', minContributionYears: 17, earliestFlexibleRetirementYearMonth: '2031-06', latestFlexibleRetirementYearMonth: '2036-02' },
    },
    {
      name: '示例B 女 原50周岁 1982-01',
      inputs: { gender: 'female', femaleCategory: 'worker', birthYearMonth: '1982-01' },
      expect: { originalAgeMonths: 600, delayMonths: 43, statutoryAgeYears: 53, statutoryAgeMonths: 7, retirementYearMonth: '2035-08', minContributionYears: 18, earliestFlexibleRetirementYearMonth: '2032-08', latestFlexibleRetirementYearMonth: '2038-08' },
    },
    {
      name: '示例C 女 原55周岁 1968-05',
      inputs: { gender: 'female', femaleCategory: 'cadre', birthYearMonth: '1968-05' },
      expect: { originalAgeMonths: 660, delayMonths: 0, statutoryAgeYears: 55, statutoryAgeMonths: 0, retirementYearMonth: '2023-05', minContributionYears: 15, earliestFlexibleRetirementYearMonth: '2023-05', latestFlexibleRetirementYearMonth: '2026-05' },
    },
    {
      name: '改革前 男 1964-12',
      inputs: { gender: 'male', birthYearMonth: '1964-12' },
      expect: { delayMonths: 0, statutoryAgeYears: 60, statutoryAgeMonths: 0, retirementYearMonth: '2024-12', earliestFlexibleRetirementYearMonth: '2024-12', latestFlexibleRetirementYearMonth: '2027-12' },
    },
    { name: '男 1965-01 第一档', inputs: { gender: 'male', birthYearMonth: '1965-01' }, expect: { statutoryAgeYears: 60, statutoryAgeMonths: 1, retirementYearMonth: '2025-02' } },
    { name: '男 1976-09 封顶', inputs: { gender: 'male', birthYearMonth: '1976-09' }, expect: { delayMonths: 36, statutoryAgeYears: 63, statutoryAgeMonths: 0 } },
    { name: '女工人 1984-10', inputs: { gender: 'female', femaleCategory: 'worker', birthYearMonth: '1984-10' }, expect: { statutoryAgeYears: 54, statutoryAgeMonths: 11 } },
    { name: '女工人 1981-01 弹性提前', inputs: { gender: 'female', femaleCategory: 'worker', birthYearMonth: '1981-01' }, expect: { delayMonths: 37, earliestFlexibleRetirementYearMonth: '2031-02' } },
    { name: '男性填写的女职工类别被忽略', inputs: { gender: 'male', femaleCategory: 'worker', birthYearMonth: '1971-06' }, expect: { delayMonths: 20 } },
    { name: '男性类别无效仍报错', inputs: { gender: 'male', femaleCategory: 'x', birthYearMonth: '1971-06' }, expectErrorField: 'femaleCategory' },
    { name: '女性先问类别', inputs: { gender: 'female' }, expectQuestion: 'femaleCategory' },
    { name: '男性不问类别', inputs: { gender: 'male' }, expectQuestion: 'birthYearMonth' },
    { name: '原退休年龄只需性别', inputs: { gender: 'male' }, goal: 'originalAgeMonths', expect: { originalAgeMonths: 720 } },
  ],
};
