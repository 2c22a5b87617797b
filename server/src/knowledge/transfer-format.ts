import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { AUDIENCES, ROLES } from '../../../common/roles';
import { calendarDate } from '../platform/dates';
import type { Bilingual } from '../platform/language';
import { categoryPath } from './presenter';

/** One entry as files carry it: the format of server/seed/kb/*.json, plus optional extras. */
export const transferEntrySchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9]{0,15}-[0-9a-z]{1,12}$/, '编号格式应如 yl-001 / id like yl-001'),
  category: z.string().min(1, '分类必填 / category required'),
  question: z.string().trim().min(2, '标准问题必填 / question required').max(500),
  similar: z.array(z.string().trim().min(1).max(500)).max(200).default([]),
  keywords: z.array(z.string().trim().min(1).max(50)).max(100).default([]),
  answer: z.string().trim().min(1, '答案必填 / answer required').max(50_000),
  audience: z.enum(AUDIENCES, { message: 'audience 只能是 public 或 staff / audience must be public or staff' }),
  references: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
  roles: z.array(z.enum(ROLES)).default([]),
  effectiveFrom: calendarDate.nullable().default(null),
  expiresAt: calendarDate.nullable().default(null),
});
export type TransferEntry = z.infer<typeof transferEntrySchema>;

export const transferCategorySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, '分类编号格式不正确 / invalid category id'),
  name: z.string().trim().min(1).max(100),
  parent: z.string().nullable().default(null),
  position: z.number().int().optional(),
});
export type TransferCategory = z.infer<typeof transferCategorySchema>;

export interface TransferBundle {
  categories: TransferCategory[];
  entries: TransferEntry[];
}

/** A problem found in a file, with where it is (1-based row of the sheet, or index in the JSON). */
export interface RowError {
  sheet?: string;
  row: number;
  field?: string;
  /** both languages, or a schema message written "中文 / English" */
  message: string | Bilingual;
}

function zodRowErrors(error: z.ZodError, row: number, sheet?: string): RowError[] {
  return error.issues.map((i) => ({ sheet, row, field: i.path.join('.') || undefined, message: i.message }));
}

/** Parses the JSON format; each entry validated, errors numbered from 1 in file order. */
export function parseJsonBundle(raw: unknown): { bundle: TransferBundle; errors: RowError[] } {
  const parser = jsonBundleParser(raw);
  while (!parser.next().done);
  return parser.result;
}

/** parseJsonBundle for large files: yields to other requests every few hundred rows. */
export async function parseJsonBundleInChunks(raw: unknown, rowsPerChunk = 500): Promise<{ bundle: TransferBundle; errors: RowError[] }> {
  const parser = jsonBundleParser(raw, rowsPerChunk);
  while (!parser.next().done) await setImmediatePromise();
  return parser.result;
}

function jsonBundleParser(raw: unknown, rowsPerChunk = Infinity) {
  const errors: RowError[] = [];
  const categories: TransferCategory[] = [];
  const entries: TransferEntry[] = [];
  const result = { bundle: { categories, entries }, errors };
  function* steps() {
    const doc = raw as { categories?: unknown; entries?: unknown };
    if (!doc || typeof doc !== 'object' || !Array.isArray(doc.entries)) {
      errors.push({ row: 0, message: '文件应包含 entries 数组 / the file must hold an "entries" array' });
      return;
    }
    (Array.isArray(doc.categories) ? doc.categories : []).forEach((c, i) => {
      const parsed = transferCategorySchema.safeParse(c);
      if (parsed.success) categories.push(parsed.data);
      else errors.push(...zodRowErrors(parsed.error, i + 1, 'categories'));
    });
    for (const [i, e] of (doc.entries as unknown[]).entries()) {
      const parsed = transferEntrySchema.safeParse(e);
      if (parsed.success) entries.push(parsed.data);
      else errors.push(...zodRowErrors(parsed.error, i + 1, 'entries'));
      if ((i + 1) % rowsPerChunk === 0) yield;
    }
  }
  const iterator = steps();
  return { next: () => iterator.next(), result };
}

// ── Excel ──
export const ENTRY_SHEET = '知识条目';
export const CATEGORY_SHEET = '分类';
const ENTRY_COLUMNS = [
  { header: '编号 id', key: 'id', width: 12 },
  { header: '分类路径 category path', key: 'categoryPath', width: 30 },
  { header: '标准问题 question', key: 'question', width: 40 },
  { header: '相似问题（每行一个） similar questions, one per line', key: 'similar', width: 40 },
  { header: '答案 answer (Markdown)', key: 'answer', width: 60 },
  { header: '关键词（每行一个） keywords', key: 'keywords', width: 20 },
  { header: '受众 audience (public/staff)', key: 'audience', width: 12 },
  { header: '政策依据（每行一个） references', key: 'references', width: 40 },
  { header: '限定角色 roles', key: 'roles', width: 14 },
  { header: '生效日期 effective from', key: 'effectiveFrom', width: 14 },
  { header: '失效日期 expires at', key: 'expiresAt', width: 14 },
] as const;

const lines = (v: string[]) => v.join('\n');
const splitLines = (v: string) => v.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);

/** Category path by names, e.g. "养老保险 / 参保与缴费": how people read the tree. */
export function categoryPaths(categories: TransferCategory[]) {
  const tree = categories.map((c) => ({ id: c.id, name: c.name, parentId: c.parent, position: c.position ?? 0 }));
  return new Map(categories.map((c) => [c.id, categoryPath(tree, c.id)]));
}

/** Writes the knowledge base as .xlsx: one row per entry, plus the category sheet. */
export async function writeWorkbook(bundle: TransferBundle): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zhixun';
  const sheet = workbook.addWorksheet(ENTRY_SHEET);
  sheet.columns = ENTRY_COLUMNS.map((c) => ({ ...c }));
  sheet.getRow(1).font = { bold: true };
  const paths = categoryPaths(bundle.categories);
  for (const e of bundle.entries) {
    sheet.addRow({
      id: e.id,
      categoryPath: paths.get(e.category) ?? e.category,
      question: e.question,
      similar: lines(e.similar),
      answer: e.answer,
      keywords: lines(e.keywords),
      audience: e.audience,
      references: lines(e.references),
      roles: e.roles.join(','),
      effectiveFrom: e.effectiveFrom ?? '',
      expiresAt: e.expiresAt ?? '',
    });
  }
  sheet.eachRow((row) => (row.alignment = { wrapText: true, vertical: 'top' }));
  const cats = workbook.addWorksheet(CATEGORY_SHEET);
  cats.columns = [
    { header: '分类编号 id', key: 'id', width: 24 },
    { header: '名称 name', key: 'name', width: 24 },
    { header: '上级编号 parent', key: 'parent', width: 24 },
    { header: '排序 position', key: 'position', width: 10 },
    { header: '分类路径 path', key: 'path', width: 40 },
  ];
  for (const [i, c] of bundle.categories.entries()) cats.addRow({ id: c.id, name: c.name, parent: c.parent ?? '', position: c.position ?? i, path: paths.get(c.id) });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '');
  return String(value);
}

/**
 * Reads a workbook written by writeWorkbook (or by hand in the same layout). Categories come from
 * the category sheet when present; an entry's category path must name an existing or listed category.
 */
export async function parseWorkbook(buffer: Buffer, existingCategories: TransferCategory[]): Promise<{ bundle: TransferBundle; errors: RowError[] }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as any);
  } catch {
    return { bundle: { categories: [], entries: [] }, errors: [{ row: 0, message: '不是有效的 .xlsx 文件 / not a valid .xlsx file' }] };
  }
  const errors: RowError[] = [];
  const categories: TransferCategory[] = [];
  const catSheet = workbook.getWorksheet(CATEGORY_SHEET);
  catSheet?.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const raw = { id: cellText(row.getCell(1).value).trim(), name: cellText(row.getCell(2).value).trim(), parent: cellText(row.getCell(3).value).trim() || null, position: Number(cellText(row.getCell(4).value)) || 0 };
    if (!raw.id && !raw.name) return;
    const parsed = transferCategorySchema.safeParse(raw);
    if (parsed.success) categories.push(parsed.data);
    else errors.push(...zodRowErrors(parsed.error, rowNumber, CATEGORY_SHEET));
  });
  const known = categories.length ? categories : existingCategories;
  const byPath = new Map([...categoryPaths(known)].map(([id, p]) => [p, id]));
  const sheet = workbook.getWorksheet(ENTRY_SHEET) ?? workbook.worksheets[0];
  const entries: TransferEntry[] = [];
  if (!sheet) return { bundle: { categories, entries }, errors: [{ row: 0, message: `缺少工作表“${ENTRY_SHEET}” / sheet missing` }] };
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const text = (i: number) => cellText(row.getCell(i).value);
    if (!text(1).trim() && !text(3).trim()) return; // blank row
    const path = text(2).trim();
    const categoryId = byPath.get(path) ?? (known.some((c) => c.id === path) ? path : undefined);
    if (!categoryId) {
      errors.push({ sheet: sheet.name, row: rowNumber, field: 'category', message: { zh: `分类路径不存在：${path}`, en: `unknown category path: ${path}` } });
      return;
    }
    const parsed = transferEntrySchema.safeParse({
      id: text(1).trim(),
      category: categoryId,
      question: text(3),
      similar: splitLines(text(4)),
      answer: text(5),
      keywords: splitLines(text(6)),
      audience: text(7).trim(),
      references: splitLines(text(8)),
      roles: text(9).split(/[,，\s]+/).filter(Boolean),
      effectiveFrom: text(10).trim() || null,
      expiresAt: text(11).trim() || null,
    });
    if (parsed.success) entries.push(parsed.data);
    else errors.push(...zodRowErrors(parsed.error, rowNumber, sheet.name));
  });
  return { bundle: { categories, entries }, errors };
}
