import type { RuleSetDef } from '../types';

const money = (id: string, zh: string, en: string) => ({ id, type: 'money' as const, label: { zh, en }, unit: { zh: '元', en: 'yuan' } });
const EMPLOYEE = '"employee"';
const FLEXIBLE = '"flexible"';

/** 社会保险缴费计算 — RULESETS.md §3. */
export const contribution: RuleSetDef = {
  id: 'contribution',
  name: { zh: '社会保险缴费计算', en: 'Social insurance contributions' },
  description: {
    zh: '计算用人单位职工或灵活就业人员每月应缴的养老、医疗（含生育）、失业、工伤保险费（个人和单位部分）及每月记入个人账户金额。',
    en: 'Monthly pension, medical (with maternity), unemployment and work-injury contributions of an employee or a flexible worker, personal and employer parts, and the amount credited to the personal pension account.',
  },
  version: '2025.1',
  effectiveFrom: '2025-01-01',
  legalBasis: '社会保险法 第十二条、第二十三条、第三十三条、第三十五条、第四十四条；国发〔2005〕38号；国办发〔2019〕13号；国办发〔2019〕10号；国发〔1998〕44号；人社部发〔2015〕71号',
  inputs: [
    {
      id: 'personType',
      type: 'enum',
      label: { zh: '参保身份', en: 'Insured as' },
      question: { zh: '您以哪种身份参加社会保险？', en: 'How are you insured: as an employee of an employer, or as a flexible worker?' },
      options: [
        { id: 'employee', label: { zh: '用人单位职工（单位和个人共同缴费）', en: 'Employee (employer and employee both pay)' } },
        { id: 'flexible', label: { zh: '灵活就业人员（个人缴费）', en: 'Flexible worker (pays alone)' } },
      ],
    },
    {
      id: 'monthlyWage',
      type: 'money',
      label: { zh: '本人月工资（缴费工资）', en: 'Monthly wage' },
      question: { zh: '您上年度的月平均工资（税前应发）是多少元？', en: 'What was your average monthly wage last year, before tax, in yuan?' },
      min: 0,
      max: 10000000,
      unit: { zh: '元', en: 'yuan' },
      askedWhen: { zh: '仅当参保身份为用人单位职工', en: 'only when personType = employee' },
    },
    {
      id: 'injuryRiskClass',
      type: 'integer',
      label: { zh: '工伤保险行业风险类别', en: 'Work-injury industry risk class' },
      question: {
        zh: '您所在单位的工伤保险行业风险类别是第几类？（一类风险最低，八类最高；可向单位人事部门了解）',
        en: 'Which work-injury industry risk class (1 lowest … 8 highest) is your employer in?',
      },
      min: 1,
      max: 8,
      askedWhen: { zh: '仅当参保身份为用人单位职工', en: 'only when personType = employee' },
    },
    {
      id: 'baseRatio',
      type: 'decimal',
      scale: 2,
      label: { zh: '缴费档次（缴费基数占社会平均工资的比例）', en: 'Contribution level (share of the average wage)' },
      question: {
        zh: '您选择按社会平均工资的多少比例缴费？（60%至300%之间，例如60%填0.6）',
        en: 'Which contribution level do you choose, as a share of the average wage (0.6 to 3.0)?',
      },
      min: 0.6,
      max: 3,
      askedWhen: { zh: '仅当参保身份为灵活就业人员', en: 'only when personType = flexible' },
    },
  ],
  outputs: [
    money('base', '缴费基数', 'Contribution base'),
    money('pensionPersonal', '养老保险（个人）', 'Pension, personal'),
    money('pensionEmployer', '养老保险（单位）', 'Pension, employer'),
    money('medicalPersonal', '医疗保险（含生育，个人）', 'Medical incl. maternity, personal'),
    money('medicalEmployer', '医疗保险（含生育，单位）', 'Medical incl. maternity, employer'),
    money('unemploymentPersonal', '失业保险（个人）', 'Unemployment, personal'),
    money('unemploymentEmployer', '失业保险（单位）', 'Unemployment, employer'),
    money('injuryPersonal', '工伤保险（个人）', 'Work injury, personal'),
    money('injuryEmployer', '工伤保险（单位）', 'Work injury, employer'),
    money('personalTotal', '个人缴费合计', 'Personal total'),
    money('employerTotal', '单位缴费合计', 'Employer total'),
    money('personalAccountMonthly', '每月记入个人账户', 'Credited to the personal account monthly'),
  ],
  parameters: [
    { name: 'averageMonthlyWage', key: 'contribution.averageMonthlyWage', label: { zh: '全口径城镇单位就业人员月平均工资', en: 'Average monthly wage' } },
    { name: 'baseFloorRatio', key: 'contribution.baseFloorRatio', label: { zh: '缴费基数下限比例', en: 'Base floor ratio' } },
    { name: 'baseCeilingRatio', key: 'contribution.baseCeilingRatio', label: { zh: '缴费基数上限比例', en: 'Base ceiling ratio' } },
    { name: 'employeePensionPersonalRate', key: 'contribution.employee.pension.personal', label: { zh: '职工养老保险个人费率', en: 'Employee pension rate, personal' } },
    { name: 'employeePensionEmployerRate', key: 'contribution.employee.pension.employer', label: { zh: '职工养老保险单位费率', en: 'Employee pension rate, employer' } },
    { name: 'employeeMedicalPersonalRate', key: 'contribution.employee.medical.personal', label: { zh: '职工医疗保险个人费率', en: 'Employee medical rate, personal' } },
    { name: 'employeeMedicalEmployerRate', key: 'contribution.employee.medical.employer', label: { zh: '职工医疗保险单位费率', en: 'Employee medical rate, employer' } },
    { name: 'employeeUnemploymentPersonalRate', key: 'contribution.employee.unemployment.personal', label: { zh: '失业保险个人费率', en: 'Unemployment rate, personal' } },
    { name: 'employeeUnemploymentEmployerRate', key: 'contribution.employee.unemployment.employer', label: { zh: '失业保险单位费率', en: 'Unemployment rate, employer' } },
    { name: 'injuryRiskClassRates', key: 'contribution.injuryRiskClassEmployerRates', label: { zh: '工伤保险行业基准费率表', en: 'Work-injury class rates' } },
    { name: 'flexiblePensionRate', key: 'contribution.flexible.pension', label: { zh: '灵活就业人员养老保险费率', en: 'Flexible worker pension rate' } },
    { name: 'flexibleMedicalRate', key: 'contribution.flexible.medical', label: { zh: '灵活就业人员医疗保险费率', en: 'Flexible worker medical rate' } },
    { name: 'personalAccountRate', key: 'contribution.personalAccountRate', label: { zh: '个人账户记账比例', en: 'Personal account rate' } },
  ],
  rules: [
    {
      id: 'CO-1',
      title: { zh: '缴费基数上下限', en: 'Base limits' },
      citation: '国办发〔2019〕13号',
      set: {
        floor: 'round2(averageMonthlyWage * baseFloorRatio)',
        ceiling: 'round2(averageMonthlyWage * baseCeilingRatio)',
      },
      why: {
        zh: '缴费基数下限为社会平均工资{averageMonthlyWage|money}元的{baseFloorRatio|pct}即{floor|money}元，上限为{baseCeilingRatio|pct}即{ceiling|money}元。',
        en: 'The base floor is {baseFloorRatio|pct} of the average wage {averageMonthlyWage|money} = {floor|money}; the ceiling is {baseCeilingRatio|pct} = {ceiling|money}.',
      },
    },
    {
      id: 'CO-2',
      title: { zh: '职工缴费基数', en: 'Employee base' },
      citation: '国办发〔2019〕13号',
      when: `personType = ${EMPLOYEE}`,
      set: { base: 'min(ceiling, max(floor, monthlyWage))' },
      why: {
        zh: '您的月工资为{monthlyWage}元，缴费基数按{base}元计算（下限{floor|money}元、上限{ceiling|money}元，低于下限按下限、高于上限按上限）。',
        en: 'Your monthly wage is {monthlyWage}; the base is {base} (floor {floor|money}, ceiling {ceiling|money}: a wage below the floor is raised to it, above the ceiling lowered to it).',
      },
    },
    {
      id: 'CO-3',
      title: { zh: '灵活就业人员缴费基数', en: 'Flexible worker base' },
      citation: '国发〔2005〕38号；国办发〔2019〕13号',
      when: `personType = ${FLEXIBLE}`,
      set: { base: 'round2(averageMonthlyWage * baseRatio)' },
      why: {
        zh: '您选择按社会平均工资{averageMonthlyWage|money}元的{baseRatio|pct}缴费，缴费基数为{base}元。',
        en: 'You chose {baseRatio|pct} of the average wage {averageMonthlyWage|money}: the base is {base}.',
      },
    },
    {
      id: 'CO-4',
      title: { zh: '养老保险', en: 'Pension' },
      citation: '社会保险法 第十二条；国发〔2005〕38号；国办发〔2019〕13号',
      table: {
        inputs: ['personType'],
        outputs: ['pensionPersonalRate', 'pensionEmployerRate'],
        rows: [
          [EMPLOYEE, 'employeePensionPersonalRate', 'employeePensionEmployerRate'],
          [FLEXIBLE, 'flexiblePensionRate', '0'],
        ],
      },
      set: {
        pensionPersonal: 'round2(base * pensionPersonalRate)',
        pensionEmployer: 'round2(base * pensionEmployerRate)',
      },
      why: {
        zh: '养老保险个人按{pensionPersonalRate|pct}缴纳{pensionPersonal}元，单位按{pensionEmployerRate|pct}缴纳{pensionEmployer}元。',
        en: 'Pension: personal {pensionPersonalRate|pct} = {pensionPersonal}; employer {pensionEmployerRate|pct} = {pensionEmployer}.',
      },
    },
    {
      id: 'CO-5',
      title: { zh: '医疗保险（含生育）', en: 'Medical, maternity included' },
      citation: '社会保险法 第二十三条；国发〔1998〕44号；国办发〔2019〕10号',
      table: {
        inputs: ['personType'],
        outputs: ['medicalPersonalRate', 'medicalEmployerRate'],
        rows: [
          [EMPLOYEE, 'employeeMedicalPersonalRate', 'employeeMedicalEmployerRate'],
          [FLEXIBLE, 'flexibleMedicalRate', '0'],
        ],
      },
      set: {
        medicalPersonal: 'round2(base * medicalPersonalRate)',
        medicalEmployer: 'round2(base * medicalEmployerRate)',
      },
      why: {
        zh: '医疗保险（含生育）个人按{medicalPersonalRate|pct}缴纳{medicalPersonal}元，单位按{medicalEmployerRate|pct}缴纳{medicalEmployer}元。',
        en: 'Medical: personal {medicalPersonalRate|pct} = {medicalPersonal}; employer {medicalEmployerRate|pct} = {medicalEmployer}.',
      },
    },
    {
      id: 'CO-6',
      title: { zh: '失业保险', en: 'Unemployment' },
      citation: '社会保险法 第四十四条；失业保险条例 第六条',
      table: {
        inputs: ['personType'],
        outputs: ['unemploymentPersonalRate', 'unemploymentEmployerRate'],
        rows: [
          [EMPLOYEE, 'employeeUnemploymentPersonalRate', 'employeeUnemploymentEmployerRate'],
          [FLEXIBLE, '0', '0'],
        ],
      },
      set: {
        unemploymentPersonal: 'round2(base * unemploymentPersonalRate)',
        unemploymentEmployer: 'round2(base * unemploymentEmployerRate)',
      },
      why: {
        zh: '失业保险个人按{unemploymentPersonalRate|pct}缴纳{unemploymentPersonal}元，单位按{unemploymentEmployerRate|pct}缴纳{unemploymentEmployer}元（灵活就业人员不缴）。',
        en: 'Unemployment: personal {unemploymentPersonalRate|pct} = {unemploymentPersonal}; employer {unemploymentEmployerRate|pct} = {unemploymentEmployer} (none for flexible workers).',
      },
    },
    {
      id: 'CO-7',
      title: { zh: '工伤保险', en: 'Work injury' },
      citation: '社会保险法 第三十三条、第三十五条；人社部发〔2015〕71号',
      table: {
        inputs: ['personType'],
        outputs: ['injuryRate'],
        rows: [
          [EMPLOYEE, 'get value(injuryRiskClassRates, string(injuryRiskClass))'],
          [FLEXIBLE, '0'],
        ],
      },
      set: {
        injuryPersonal: '0',
        injuryEmployer: 'if injuryRate = 0 then 0 else round2(base * injuryRate)',
      },
      why: {
        zh: '工伤保险个人不缴费；单位按行业风险类别费率{injuryRate|pct}缴纳{injuryEmployer}元（灵活就业人员不缴）。',
        en: 'Work injury: nothing personal; the employer pays the class rate {injuryRate|pct} = {injuryEmployer} (none for flexible workers).',
      },
    },
    {
      id: 'CO-8',
      title: { zh: '缴费合计', en: 'Totals' },
      citation: '社会保险法 第十二条、第二十三条、第三十五条、第四十四条',
      set: {
        personalTotal: 'pensionPersonal + medicalPersonal + unemploymentPersonal + injuryPersonal',
        employerTotal: 'pensionEmployer + medicalEmployer + unemploymentEmployer + injuryEmployer',
      },
      why: {
        zh: '各项分别四舍五入到分后相加：个人每月合计{personalTotal}元，单位每月合计{employerTotal}元。',
        en: 'Each item is rounded to the fen, then added: personal total {personalTotal}, employer total {employerTotal} a month.',
      },
    },
    {
      id: 'CO-9',
      title: { zh: '记入个人账户', en: 'Personal account' },
      citation: '国发〔2005〕38号',
      set: { personalAccountMonthly: 'round2(base * personalAccountRate)' },
      why: {
        zh: '每月按缴费基数的{personalAccountRate|pct}即{personalAccountMonthly}元记入个人账户（已包含在个人缴纳的养老保险费中）。',
        en: '{personalAccountRate|pct} of the base, {personalAccountMonthly}, is credited to your personal account each month (part of the personal pension contribution).',
      },
    },
  ],
  headlines: [
    {
      when: 'personType = "employee"',
      text: {
        zh: '您每月个人缴纳社会保险费{personalTotal|money}元，单位为您缴纳{employerTotal|money}元（缴费基数{base|money}元）。',
        en: 'Each month you pay {personalTotal|money} yuan of social insurance and your employer pays {employerTotal|money} yuan (contribution base {base|money} yuan).',
      },
    },
    {
      when: 'personType = "flexible"',
      text: {
        zh: '您每月缴纳社会保险费{personalTotal|money}元（缴费基数{base|money}元）。',
        en: 'Each month you pay {personalTotal|money} yuan of social insurance (contribution base {base|money} yuan).',
      },
    },
    {
      when: 'personType = "employee"',
      status: 'conditional',
      text: {
        zh: '您每月个人缴纳社会保险费{personalTotal|money}元（缴费基数{base|money}元）；单位缴费还取决于您回答“不知道”的问题。',
        en: 'Each month you pay {personalTotal|money} yuan of social insurance (contribution base {base|money} yuan); what your employer pays depends on what you answered "don\'t know".',
      },
    },
  ],
  notes: [
    { zh: '本计算为月缴费额；年度合计、补缴及滞纳金不在计算范围内。费率和社会平均工资为示例市演示数据。', en: 'Monthly amounts; annual totals, back payments and late fees are out of scope. Rates and the average wage are demo values of the fictional Example City.' },
  ],
  tests: [
    {
      name: '示例A 职工 8888.88 二类',
      inputs: { personType: 'employee', monthlyWage: 8888.88, injuryRiskClass: 2 },
      expect: { base: 8888.88, pensionPersonal: 711.11, pensionEmployer: 1422.22, medicalPersonal: 177.78, medicalEmployer: 666.67, unemploymentPersonal: 44.44, unemploymentEmployer: 44.44, injuryPersonal: 0, injuryEmployer: 35.56, personalTotal: 933.33, employerTotal: 2168.89, personalAccountMonthly: 711.11 },
    },
    {
      name: '示例B 职工 3000 四类（低于下限）',
      inputs: { personType: 'employee', monthlyWage: 3000, injuryRiskClass: 4 },
      expect: { base: 4500, pensionPersonal: 360, pensionEmployer: 720, medicalPersonal: 90, medicalEmployer: 337.5, unemploymentPersonal: 22.5, unemploymentEmployer: 22.5, injuryPersonal: 0, injuryEmployer: 40.5, personalTotal: 472.5, employerTotal: 1120.5, personalAccountMonthly: 360 },
    },
    {
      name: '示例C 灵活就业 0.6',
      inputs: { personType: 'flexible', baseRatio: 0.6 },
      expect: { base: 4500, pensionPersonal: 900, pensionEmployer: 0, medicalPersonal: 360, medicalEmployer: 0, unemploymentPersonal: 0, unemploymentEmployer: 0, injuryPersonal: 0, injuryEmployer: 0, personalTotal: 1260, employerTotal: 0, personalAccountMonthly: 360 },
    },
    { name: '分项舍入后相加 6666.67', inputs: { personType: 'employee', monthlyWage: 6666.67, injuryRiskClass: 1 }, expect: { personalTotal: 699.99 } },
    { name: '进位 8889', inputs: { personType: 'employee', monthlyWage: 8889, injuryRiskClass: 1 }, expect: { unemploymentPersonal: 44.45 } },
    { name: '进位 4502.50 一类', inputs: { personType: 'employee', monthlyWage: 4502.5, injuryRiskClass: 1 }, expect: { injuryEmployer: 9.01 } },
    { name: '进位 4505 四类', inputs: { personType: 'employee', monthlyWage: 4505, injuryRiskClass: 4 }, expect: { injuryEmployer: 40.55 } },
    { name: '4501.40 医疗单位 7.5%', inputs: { personType: 'employee', monthlyWage: 4501.4, injuryRiskClass: 1 }, expect: { medicalEmployer: 337.61 } },
    { name: '上限 22500.01', inputs: { personType: 'employee', monthlyWage: 22500.01, injuryRiskClass: 1 }, expect: { base: 22500 } },
    { name: '工资为0按下限', inputs: { personType: 'employee', monthlyWage: 0, injuryRiskClass: 1 }, expect: { base: 4500 } },
    { name: '灵活就业 0.61', inputs: { personType: 'flexible', baseRatio: 0.61, monthlyWage: 99999 }, expect: { base: 4575 } },
    { name: '档次超出范围报错', inputs: { personType: 'flexible', baseRatio: 3.5 }, expectErrorField: 'baseRatio' },
    { name: '负工资报错', inputs: { personType: 'employee', monthlyWage: -1 }, expectErrorField: 'monthlyWage' },
    { name: '只给工资先问身份', inputs: { monthlyWage: 8000 }, expectQuestion: 'personType' },
    { name: '基数不需要风险类别', inputs: { personType: 'employee', monthlyWage: 8000 }, goal: 'base', expect: { base: 8000 } },
  ],
};
