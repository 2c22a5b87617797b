import { AppError } from '../platform/errors';
import { Num } from './num';
import type { InputDef, Lang } from './types';

/**
 * Input validation of RULESETS.md §1.3: inputs must be an object, every key an input id, every
 * supplied value valid (even when its branch ignores it); null means "not supplied".
 */

const YEAR_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function err(code: 'unknown_input' | 'invalid_type' | 'invalid_value', field: string, zh: string, en: string, lang: Lang): AppError {
  return new AppError(400, code, lang === 'en' ? en : zh, field);
}

/** What an input accepts, as a sentence (used in error messages and the console). */
export function describeAccepted(d: InputDef, lang: Lang): string {
  const en = lang === 'en';
  switch (d.type) {
    case 'enum':
      return en
        ? `one of ${d.options!.map((o) => `"${o.id}"`).join(', ')}`
        : `以下取值之一：${d.options!.map((o) => `"${o.id}"（${o.label.zh}）`).join('、')}`;
    case 'boolean':
      return en ? 'true or false (JSON boolean)' : 'true 或 false（JSON 布尔值）';
    case 'integer':
      return en ? `a whole number from ${d.min} to ${d.max}` : `${d.min} 至 ${d.max} 之间的整数`;
    case 'decimal':
      return en
        ? `a number from ${d.min} to ${d.max} with at most ${d.scale} decimals`
        : `${d.min} 至 ${d.max} 之间的数字，最多 ${d.scale} 位小数`;
    case 'money':
      return en
        ? `an amount in yuan from ${d.min} to ${d.max}, at most 2 decimals`
        : `${d.min} 至 ${d.max} 之间的金额（元），最多 2 位小数`;
    case 'yearMonth':
      return en ? 'a year and month "YYYY-MM" (year 1900–2099, month 01–12)' : '年月，格式为 "YYYY-MM"（年份 1900–2099，月份 01–12）';
  }
}

/**
 * Validates one supplied (non-null) value; returns it as an engine value (numbers become exact
 * decimals) or throws a 400 AppError naming the input.
 */
export function validateValue(d: InputDef, v: unknown, lang: Lang): Num | string | boolean {
  switch (d.type) {
    case 'enum':
      if (typeof v !== 'string') throw typeError(d, lang);
      for (const o of d.options!) if (o.id === v) return v;
      throw valueError(d, lang);
    case 'boolean':
      if (typeof v !== 'boolean') throw typeError(d, lang);
      return v;
    case 'yearMonth': {
      if (typeof v !== 'string') throw typeError(d, lang);
      const m = YEAR_MONTH.exec(v);
      if (!m) throw valueError(d, lang);
      const y = Number(m[1]);
      if (y < 1900 || y > 2099) throw valueError(d, lang);
      if ((d.min !== undefined && v < String(d.min)) || (d.max !== undefined && v > String(d.max))) throw valueError(d, lang);
      return v;
    }
    case 'integer':
    case 'decimal':
    case 'money': {
      if (typeof v !== 'number') throw typeError(d, lang);
      if (!Number.isFinite(v)) throw valueError(d, lang);
      const n = Num.of(v);
      const scale = d.type === 'integer' ? 0 : d.type === 'money' ? 2 : (d.scale ?? 2);
      if (n.decimalPlaces() > scale) throw valueError(d, lang);
      if (d.min !== undefined && v < Number(d.min)) throw valueError(d, lang);
      if (d.max !== undefined && v > Number(d.max)) throw valueError(d, lang);
      return n;
    }
  }
}

function typeError(d: InputDef, lang: Lang): AppError {
  const accepted = describeAccepted(d, lang);
  const label = lang === 'en' ? d.label.en : d.label.zh;
  return err('invalid_type', d.id, `“${label}”（${d.id}）的类型不正确，应为${accepted}`, `${d.id} (${label}) has the wrong type: expected ${accepted}`, lang);
}

function valueError(d: InputDef, lang: Lang): AppError {
  const accepted = describeAccepted(d, lang);
  const label = lang === 'en' ? d.label.en : d.label.zh;
  return err('invalid_value', d.id, `“${label}”（${d.id}）的取值无效，应为${accepted}`, `${d.id} (${label}) is not valid: expected ${accepted}`, lang);
}

export interface ValidatedInputs {
  /** by input index (interview order); undefined = not supplied */
  values: (Num | string | boolean | undefined)[];
  /** bit i set = input i supplied */
  suppliedMask: number;
}

/** Validates a request's `inputs` against a rule set's input table, in the order of §1.3. */
export function validateInputs(
  defs: InputDef[],
  index: Map<string, number>,
  inputs: unknown,
  lang: Lang,
): ValidatedInputs {
  if (inputs === undefined || inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) {
    throw new AppError(400, 'invalid_type', lang === 'en' ? 'inputs must be a JSON object' : 'inputs 必须是 JSON 对象', 'inputs');
  }
  const obj = inputs as Record<string, unknown>;
  const keys = Object.keys(obj);
  for (const k of keys) {
    if (!index.has(k)) {
      throw err(
        'unknown_input',
        k,
        `未知的输入项“${k}”，可用的输入项为：${defs.map((d) => d.id).join('、')}`,
        `unknown input "${k}"; the inputs of this rule set are: ${defs.map((d) => d.id).join(', ')}`,
        lang,
      );
    }
  }
  const values: (Num | string | boolean | undefined)[] = new Array(defs.length);
  let suppliedMask = 0;
  for (let i = 0; i < defs.length; i++) {
    const v = obj[defs[i].id];
    if (v === undefined || v === null) continue;
    values[i] = validateValue(defs[i], v, lang);
    suppliedMask |= 1 << i;
  }
  return { values, suppliedMask };
}
