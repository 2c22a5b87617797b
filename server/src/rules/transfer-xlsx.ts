import ExcelJS from 'exceljs';
import { AppError } from '../platform/errors';
import type { ParameterVersion } from './params';
import type { RuleSetDef } from './types';

/**
 * Rule sets and parameters as Excel workbooks, so policy staff can author and review them in a
 * spreadsheet. Each sheet is a table with a header row; cells holding lists or decision tables
 * carry JSON. A workbook written here reads back to the same document.
 */

type Row = Record<string, unknown>;

function addSheet(wb: ExcelJS.Workbook, name: string, columns: string[], rows: Row[]) {
  const ws = wb.addWorksheet(name);
  ws.addRow(columns);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(columns.map((c) => (r[c] === undefined || r[c] === null ? null : typeof r[c] === 'object' ? JSON.stringify(r[c]) : r[c])));
  for (const [i, c] of columns.entries()) ws.getColumn(i + 1).width = Math.min(60, Math.max(12, c.length + 4));
}

function cellText(v: ExcelJS.CellValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return v.result === undefined ? null : String(v.result);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v);
}

function readSheet(wb: ExcelJS.Workbook, name: string, required = true): Row[] {
  const ws = wb.getWorksheet(name);
  if (!ws) {
    if (required) throw new AppError(400, 'invalid_workbook', { zh: `工作簿缺少工作表“${name}”`, en: `sheet ${name} missing` }, name);
    return [];
  }
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => cellText(v) ?? '');
  const rows: Row[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const r: Row = {};
    let any = false;
    header.forEach((h, i) => {
      const raw = row.getCell(i + 1).value;
      const t = cellText(raw);
      if (t !== null && t !== '') {
        any = true;
        r[h] = typeof raw === 'number' ? raw : t;
      }
    });
    if (any) rows.push(r);
  });
  return rows;
}

const json = <T>(v: unknown, where: string): T | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return JSON.parse(String(v)) as T;
  } catch {
    throw new AppError(400, 'invalid_workbook', { zh: `“${where}”不是有效的 JSON`, en: `${where} is not valid JSON` }, where);
  }
};
const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const num = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : typeof v === 'number' ? v : /^-?\d+(\.\d+)?$/.test(String(v)) ? Number(v) : String(v));
const text = (r: Row, base: string) => (r[`${base}_zh`] !== undefined || r[`${base}_en`] !== undefined ? { zh: str(r[`${base}_zh`]) ?? '', en: str(r[`${base}_en`]) ?? '' } : undefined);
const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Writes a rule-set document as a workbook. */
export async function writeRuleSetWorkbook(def: RuleSetDef): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  addSheet(wb, '规则集', ['key', 'value'], [
    { key: 'id', value: def.id },
    { key: 'version', value: def.version },
    { key: 'effectiveFrom', value: def.effectiveFrom },
    { key: 'effectiveTo', value: def.effectiveTo ?? null },
    { key: 'name_zh', value: def.name.zh },
    { key: 'name_en', value: def.name.en },
    { key: 'description_zh', value: def.description.zh },
    { key: 'description_en', value: def.description.en },
    { key: 'legalBasis', value: def.legalBasis },
    { key: 'eligibilityOutput', value: def.eligibilityOutput ?? null },
    { key: 'changes', value: def.changes ? JSON.stringify(def.changes) : null },
    { key: 'notes', value: def.notes ? JSON.stringify(def.notes) : null },
    { key: 'headlines', value: def.headlines ? JSON.stringify(def.headlines) : null },
  ]);
  addSheet(
    wb,
    '输入',
    ['id', 'type', 'label_zh', 'label_en', 'question_zh', 'question_en', 'options', 'min', 'max', 'scale', 'unit_zh', 'unit_en', 'askedWhen_zh', 'askedWhen_en'],
    def.inputs.map((d) => ({
      id: d.id, type: d.type, label_zh: d.label.zh, label_en: d.label.en, question_zh: d.question.zh, question_en: d.question.en, options: d.options,
      min: d.min, max: d.max, scale: d.scale, unit_zh: d.unit?.zh, unit_en: d.unit?.en, askedWhen_zh: d.askedWhen?.zh, askedWhen_en: d.askedWhen?.en,
    })),
  );
  addSheet(
    wb,
    '输出',
    ['id', 'type', 'label_zh', 'label_en', 'unit_zh', 'unit_en', 'nullable', 'companion', 'codes'],
    def.outputs.map((o) => ({ id: o.id, type: o.type, label_zh: o.label.zh, label_en: o.label.en, unit_zh: o.unit?.zh, unit_en: o.unit?.en, nullable: o.nullable ? 'true' : undefined, companion: o.companion ? 'true' : undefined, codes: o.codes })),
  );
  addSheet(wb, '参数', ['name', 'key', 'label_zh', 'label_en'], def.parameters.map((p) => ({ name: p.name, key: p.key, label_zh: p.label.zh, label_en: p.label.en })));
  addSheet(
    wb,
    '规则',
    ['id', 'title_zh', 'title_en', 'citation', 'when', 'decisionTable', 'why_zh', 'why_en'],
    def.rules.map((r) => ({ id: r.id, title_zh: r.title.zh, title_en: r.title.en, citation: r.citation, when: r.when, decisionTable: r.table, why_zh: r.why?.zh, why_en: r.why?.en })),
  );
  addSheet(
    wb,
    '赋值',
    ['rule', 'variable', 'expression'],
    def.rules.flatMap((r) => Object.entries(r.set ?? {}).map(([variable, expression]) => ({ rule: r.id, variable, expression }))),
  );
  addSheet(
    wb,
    '测试用例',
    ['name', 'inputs', 'goal', 'date', 'expect', 'expectQuestion', 'expectErrorField'],
    def.tests.map((t) => ({ name: t.name, inputs: t.inputs, goal: t.goal, date: t.date, expect: t.expect, expectQuestion: t.expectQuestion, expectErrorField: t.expectErrorField })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads a rule-set document from a workbook written by writeRuleSetWorkbook (or by hand alike). */
export async function parseRuleSetWorkbook(buffer: Buffer): Promise<RuleSetDef> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new AppError(400, 'invalid_workbook', { zh: '无法读取 Excel 文件', en: 'not a readable .xlsx file' }, 'file');
  }
  const meta = Object.fromEntries(readSheet(wb, '规则集').map((r) => [String(r.key), r.value]));
  const assignments = readSheet(wb, '赋值');
  const def: RuleSetDef = clean({
    id: str(meta.id) ?? '',
    version: str(meta.version) ?? '',
    effectiveFrom: str(meta.effectiveFrom) ?? '',
    effectiveTo: str(meta.effectiveTo) ?? null,
    name: { zh: str(meta.name_zh) ?? '', en: str(meta.name_en) ?? '' },
    description: { zh: str(meta.description_zh) ?? '', en: str(meta.description_en) ?? '' },
    legalBasis: str(meta.legalBasis) ?? '',
    eligibilityOutput: str(meta.eligibilityOutput),
    changes: json(meta.changes, 'changes'),
    notes: json(meta.notes, 'notes'),
    headlines: json(meta.headlines, 'headlines'),
    inputs: readSheet(wb, '输入').map((r) =>
      clean({
        id: String(r.id), type: String(r.type) as RuleSetDef['inputs'][number]['type'], label: text(r, 'label')!, question: text(r, 'question')!,
        options: json(r.options, `${r.id}.options`), min: num(r.min), max: num(r.max), scale: num(r.scale) as number | undefined, unit: text(r, 'unit'), askedWhen: text(r, 'askedWhen'),
      }),
    ),
    outputs: readSheet(wb, '输出').map((r) =>
      clean({
        id: String(r.id), type: String(r.type) as RuleSetDef['outputs'][number]['type'], label: text(r, 'label')!, unit: text(r, 'unit'),
        nullable: r.nullable === 'true' || r.nullable === true ? true : undefined, companion: r.companion === 'true' || r.companion === true ? true : undefined, codes: json(r.codes, `${r.id}.codes`),
      }),
    ),
    parameters: readSheet(wb, '参数').map((r) => ({ name: String(r.name), key: String(r.key), label: text(r, 'label')! })),
    rules: readSheet(wb, '规则').map((r) => {
      const sets = assignments.filter((a) => String(a.rule) === String(r.id));
      return clean({
        id: String(r.id), title: text(r, 'title')!, citation: str(r.citation) ?? '', when: str(r.when), table: json(r.decisionTable, `${r.id}.decisionTable`),
        set: sets.length ? Object.fromEntries(sets.map((a) => [String(a.variable), String(a.expression)])) : undefined, why: text(r, 'why'),
      });
    }),
    tests: readSheet(wb, '测试用例', false).map((r) =>
      clean({ name: String(r.name), inputs: json<Record<string, unknown>>(r.inputs, `${r.name}.inputs`) ?? {}, goal: str(r.goal), date: str(r.date), expect: json(r.expect, `${r.name}.expect`), expectQuestion: str(r.expectQuestion), expectErrorField: str(r.expectErrorField) }),
    ),
  });
  return def;
}

/** Writes parameter versions as one table: a row per key of each version. */
export async function writeParametersWorkbook(versions: ParameterVersion[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  addSheet(
    wb,
    '参数版本',
    ['version', 'jurisdiction', 'effectiveFrom', 'effectiveTo', 'key', 'value', 'note'],
    versions.flatMap((v) =>
      Object.entries(v.values).map(([key, value]) => ({ version: v.id, jurisdiction: v.jurisdiction, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo ?? null, key, value: JSON.stringify(value), note: v.note })),
    ),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads parameter versions from a workbook written by writeParametersWorkbook. */
export async function parseParametersWorkbook(buffer: Buffer): Promise<ParameterVersion[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new AppError(400, 'invalid_workbook', { zh: '无法读取 Excel 文件', en: 'not a readable .xlsx file' }, 'file');
  }
  const byId = new Map<string, ParameterVersion>();
  for (const r of readSheet(wb, '参数版本')) {
    const id = String(r.version);
    let v = byId.get(id);
    if (!v) {
      v = { id, jurisdiction: String(r.jurisdiction), effectiveFrom: String(r.effectiveFrom), effectiveTo: str(r.effectiveTo) ?? null, values: {}, note: str(r.note) };
      byId.set(id, v);
    }
    v.values[String(r.key)] = typeof r.value === 'number' ? r.value : json(r.value, `${id}.${r.key}`);
  }
  return [...byId.values()];
}
