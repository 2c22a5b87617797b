import ExcelJS from 'exceljs';
import type { AnalyticsSummary, HardTopics, HotTopics, Volumes } from '../../../common/analytics';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const pct = (v: number | null) => (v === null ? '' : `${Math.round(v * 1000) / 10}%`);
const orBlank = (v: number | null) => (v === null ? '' : v);

function sheetWith(workbook: ExcelJS.Workbook, name: string, columns: { header: string; key: string; width: number }[], rows: Record<string, unknown>[]) {
  const sheet = workbook.addWorksheet(name);
  sheet.columns = columns;
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  return sheet;
}

/** The summary as indicator/value rows. */
export function addSummarySheet(workbook: ExcelJS.Workbook, s: AnalyticsSummary) {
  const rows: [string, unknown][] = [
    ['统计周期 / period', `${s.from} – ${s.to}`],
    ['会话量 / conversations', s.conversations],
    ['机器人独立解决率 / robot resolution', pct(s.robotResolutionRate)],
    ['转人工率 / hand-off rate', pct(s.handoffRate)],
    ...s.handoffReasons.map((r): [string, unknown] => [`  转人工原因 / reason: ${r.reason}`, r.count]),
    ['一次解决率 / first-contact resolution', pct(s.firstContactResolutionRate)],
    ['评价数 / ratings', s.satisfaction.rated],
    ['满意率 / satisfied (4–5)', pct(s.satisfaction.positiveShare)],
    ['平均评分 / average rating', orBlank(s.satisfaction.average)],
    ['首次响应 P50 秒 / first response p50 s', orBlank(s.firstResponseSeconds.p50)],
    ['首次响应 P90 秒 / first response p90 s', orBlank(s.firstResponseSeconds.p90)],
    ['处理时长 P50 秒 / handling p50 s', orBlank(s.handlingSeconds.p50)],
    ['处理时长 P90 秒 / handling p90 s', orBlank(s.handlingSeconds.p90)],
    ['放弃率 / abandonment', pct(s.abandonmentRate)],
    [`服务水平（${s.serviceLevel.thresholdSeconds} 秒内接起） / service level`, pct(s.serviceLevel.share)],
    ['机器人回答 / robot answers', s.selfService.robotAnswers],
    ['测算次数 / calculator runs', s.selfService.calculatorRuns],
    ['机器人提问 / robot questions', s.selfService.searches],
  ];
  sheetWith(workbook, '概览 Summary', [{ header: '指标 / indicator', key: 'k', width: 44 }, { header: '数值 / value', key: 'v', width: 20 }], rows.map(([k, v]) => ({ k, v })));
}

export function addVolumesSheet(workbook: ExcelJS.Workbook, v: Volumes, name = `会话量 Volumes (${v.by})`) {
  sheetWith(workbook, name.slice(0, 31), [{ header: '维度 / key', key: 'key', width: 16 }, { header: '名称 / label', key: 'label', width: 28 }, { header: '会话量 / count', key: 'count', width: 14 }], v.items);
}

export function addHotTopicsSheet(workbook: ExcelJS.Workbook, h: HotTopics) {
  sheetWith(
    workbook,
    '热点 Hot topics',
    [
      { header: '分类 / category', key: 'categoryId', width: 16 },
      { header: '名称 / name', key: 'name', width: 40 },
      { header: '条目 / entry', key: 'entryId', width: 14 },
      { header: `本期 ${h.from}–${h.to}`, key: 'current', width: 22 },
      { header: `上期 ${h.previousFrom}–${h.previousTo}`, key: 'previous', width: 22 },
      { header: '显著度 / score', key: 'score', width: 14 },
    ],
    h.items.map((i) => ({ ...i, entryId: i.entryId ?? '' })),
  );
}

export function addHardTopicsSheet(workbook: ExcelJS.Workbook, h: HardTopics) {
  sheetWith(
    workbook,
    '难点 Hard topics',
    [
      { header: '问题 / label', key: 'label', width: 40 },
      { header: '次数 / count', key: 'count', width: 10 },
      { header: '转人工 / handed off', key: 'handoff', width: 12 },
      { header: '无帮助 / unhelpful', key: 'unhelpful', width: 12 },
      { header: '未答出 / unanswered', key: 'unanswered', width: 12 },
      { header: '分类 / category', key: 'categoryId', width: 16 },
      { header: '示例 / examples', key: 'examples', width: 60 },
    ],
    h.items.map((i) => ({ label: i.label, count: i.count, ...i.reasons, categoryId: i.categoryId ?? '', examples: i.examples.join('\n') })),
  );
}

/** A workbook from sheets added by `fill`. */
export async function workbook(fill: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'zhixun';
  fill(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
