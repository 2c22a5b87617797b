/** Types of rule-set documents: the declarative data that policy staff author and review. */

export type Lang = 'zh' | 'en';

/** A text in Simplified Chinese with its English version. */
export interface Text {
  zh: string;
  en: string;
}

export type InputType = 'enum' | 'boolean' | 'integer' | 'decimal' | 'money' | 'yearMonth';

export interface InputOption {
  id: string;
  label: Text;
}

export interface InputDef {
  id: string;
  type: InputType;
  label: Text;
  question: Text;
  options?: InputOption[];
  /** inclusive bounds for numbers ("YYYY-MM" strings for yearMonth) */
  min?: number | string;
  max?: number | string;
  /** max decimals for `decimal` (money is always 2) */
  scale?: number;
  /** unit shown after a number (元, 个月, 年) */
  unit?: Text;
  /** when the input is asked (documentation; the engine derives it from the rules) */
  askedWhen?: Text;
}

export type OutputType = 'money' | 'integer' | 'number' | 'boolean' | 'yearMonth' | 'codes' | 'string';

export interface OutputDef {
  id: string;
  type: OutputType;
  label: Text;
  unit?: Text;
  nullable?: boolean;
  /** a companion output never causes a question and is left out of need_input answers */
  companion?: boolean;
  /** display texts of codes (for `codes` outputs) */
  codes?: Record<string, Text>;
}

/** A named parameter that a rule set reads, resolved from the parameter tables at the date asked. */
export interface ParameterRef {
  name: string;
  /** dotted key in the parameter table, e.g. "contribution.averageMonthlyWage" */
  key: string;
  label: Text;
}

/** A decision table (hit policy FIRST): each row's cells are FEEL unary tests of the inputs. */
export interface DecisionTable {
  inputs: string[];
  outputs: string[];
  /** cells: one unary test per input, then one FEEL expression per output */
  rows: string[][];
}

export interface RuleDef {
  /** id from RULESETS.md, e.g. "CO-4" */
  id: string;
  title: Text;
  /** the policy clause(s) the rule implements */
  citation: string;
  /** FEEL condition: the rule applies when it is true */
  when?: string;
  /** variable := FEEL expression, in order */
  set?: Record<string, string>;
  table?: DecisionTable;
  /** plain "why" for citizens: a template whose {names} are filled with the values used */
  why?: Text;
}

export interface RuleSetTestCase {
  name: string;
  inputs: Record<string, unknown>;
  goal?: string;
  date?: string;
  /** expected outputs (subset is enough) when complete */
  expect?: Record<string, unknown>;
  /** expected next question when need_input */
  expectQuestion?: string;
  /** expected 400 field */
  expectErrorField?: string;
}

/** A candidate headline of a result: `{name}` / `{name|style}` placeholders as in `why`. */
export interface HeadlineDef {
  /** FEEL condition over the values already determined (it never causes more evaluation) */
  when?: string;
  /** only for this status (e.g. a sentence saying part of the result waits on 不知道 answers) */
  status?: 'complete' | 'conditional';
  text: Text;
}

/** A counterfactual the engine may try for an ineligible result. */
export interface ChangeDef {
  input: string;
  /** search the smallest increase of a number, or try the listed values */
  increase?: boolean;
  values?: unknown[];
  /** template for the suggestion, {delta} {value} {input} */
  text: Text;
}

export interface RuleSetDef {
  id: string;
  name: Text;
  description: Text;
  version: string;
  effectiveFrom: string;
  effectiveTo?: string | null;
  legalBasis: string;
  /** interview order */
  inputs: InputDef[];
  outputs: OutputDef[];
  parameters: ParameterRef[];
  rules: RuleDef[];
  /** the boolean output that says "eligible", if the rule set decides eligibility */
  eligibilityOutput?: string;
  changes?: ChangeDef[];
  /** a note every explanation carries (e.g. what is out of scope) */
  notes?: Text[];
  /**
   * The one plain sentence a finished result opens with (the key figure), in order of preference:
   * the first whose `status` and `when` hold and whose placeholders all have values is shown.
   */
  headlines?: HeadlineDef[];
  /** how code values of intermediate variables read in explanations (e.g. category male → 男职工) */
  valueLabels?: Record<string, Record<string, Text>>;
  tests: RuleSetTestCase[];
}
