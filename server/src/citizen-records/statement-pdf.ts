import { existsSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import type { StatementContent } from '../../../common/record-statements';
import { AppError } from '../platform/errors';
import { chinaDate } from './issue-statement';

/** A font with Chinese glyphs, parsed once (at the first download): parsing a CJK font takes far longer than laying out a statement. */
export interface StatementFont {
  file: string;
  /** the face's PostScript name (one face of a .ttc collection) */
  face: string;
  font: fontkit.Font;
}

/** Where Debian and Ubuntu put Chinese fonts (fonts-wqy-microhei first: small, and what CI installs). */
const USUAL_FONTS: { file: string; face?: string }[] = [
  { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular' },
  { file: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf' },
];

/**
 * Opens a font file (a collection's named face, or its first) and lays out Chinese with it the way a
 * statement will, so a wrong file shows before any page is drawn. A string when unusable.
 */
function openFont(file: string, face?: string): StatementFont | string {
  if (!existsSync(file)) return 'no such file';
  try {
    const opened = fontkit.openSync(file);
    const font = 'fonts' in opened ? (face ? opened.fonts.find((f) => f.postscriptName === face) : opened.fonts[0]) : opened;
    if (!font) return `no face ${face} in this collection`;
    if (![...'参保缴费证明'].every((ch) => font.hasGlyphForCodePoint(ch.codePointAt(0)!))) return 'it has no Chinese glyphs';
    const doc = new PDFDocument({ autoFirstPage: false });
    doc.registerFont('cjk', asFontSource(font));
    doc.font('cjk').widthOfString('参保缴费证明');
    return { file, face: font.postscriptName, font };
  } catch (err) {
    return (err as Error).message;
  }
}

// pdfkit ≥ 0.20 takes a parsed fontkit font; its community types predate that
const asFontSource = (font: fontkit.Font) => font as unknown as Buffer;

/**
 * The font for PDF statements, found once (at the first download): PDF_FONT_FILE (`file`, or `file#Face` for one
 * face of a collection) when set, else the first usable one of the usual paths. Undefined when there
 * is none: downloads then answer 503 pdf_font_missing.
 */
export function findStatementFont(configured: string | undefined, warn: (message: string) => void): StatementFont | undefined {
  if (configured) {
    const hash = configured.lastIndexOf('#');
    const opened = hash > 0 ? openFont(configured.slice(0, hash), configured.slice(hash + 1) || undefined) : openFont(configured);
    if (typeof opened !== 'string') return opened;
    warn(`PDF_FONT_FILE=${configured} cannot be used (${opened}): PDF statements are off until it names a font with Chinese glyphs`);
    return undefined;
  }
  for (const { file, face } of USUAL_FONTS) {
    const opened = openFont(file, face);
    if (typeof opened !== 'string') return opened;
  }
  warn('no Chinese font found for PDF statements: install fonts-wqy-microhei (apt-get install fonts-wqy-microhei) or set PDF_FONT_FILE');
  return undefined;
}

/** The answer when no font was found: the operator's fix in the message, the web page as the citizen's way out. */
export const fontMissing = () =>
  new AppError(503, 'pdf_font_missing', { zh: 'PDF 证明暂不可用：服务器缺少中文字体（请管理员安装 fonts-wqy-microhei 或设置 PDF_FONT_FILE），请在网页上查看证明', en: 'PDF statements are unavailable: the server has no Chinese font (install fonts-wqy-microhei or set PDF_FONT_FILE); view the statement on the web page instead' });

export interface StatementPdfInput {
  content: StatementContent;
  /** the citizen's own name, in full: only they download the PDF */
  name: string;
  code: string;
  issuedAt: string;
  expiresAt: string;
  /** where anyone checks the code: {PUBLIC_URL}/verify/{code} */
  verifyUrl: string;
}

const INSURANCE_NAMES = [
  ['pension', '基本养老保险'],
  ['medical', '基本医疗保险'],
  ['unemployment', '失业保险'],
  ['injury', '工伤保险'],
  ['maternity', '生育保险'],
] as const;

const dateZh = (ymd: string) => `${ymd.slice(0, 4)}年${Number(ymd.slice(5, 7))}月${Number(ymd.slice(8, 10))}日`;
const monthZh = (ym: string | null) => (ym ? `${ym.slice(0, 4)}年${Number(ym.slice(5, 7))}月` : '—');
const months = (n: number) => (n >= 12 ? `${n} 个月（${Math.floor(n / 12)} 年${n % 12 ? ` ${n % 12} 个月` : ''}）` : `${n} 个月`);

/** Pension years laid out side by side: three blocks of year / 实缴 / 欠缴 / 断缴, so forty years fit one page. */
function yearRows(years: StatementContent['pensionYears'], blocks: number): string[][] {
  const perBlock = Math.ceil(years.length / blocks);
  const rows: string[][] = [];
  for (let r = 0; r < perBlock; r++) {
    rows.push(
      Array.from({ length: blocks }, (_, b) => years[b * perBlock + r]).flatMap((y) =>
        y ? [String(y.year), String(y.paidMonths), y.arrearsMonths ? String(y.arrearsMonths) : '', y.gapMonths ? String(y.gapMonths) : ''] : ['', '', '', ''],
      ),
    );
  }
  return rows;
}

/**
 * The statement as a PDF (A4, one page for any working life): title, the person, a table per
 * insurance, pension months by year, the verification code with the public URL to check it, and a
 * note that the figures are demo data. The font is subset, so the file stays small.
 */
export function renderStatementPdf(input: StatementPdfInput, font: StatementFont, options: { compress?: boolean } = {}): Promise<Buffer> {
  const { content } = input;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 48, left: 56, right: 56 },
    compress: options.compress ?? true,
    info: { Title: '社会保险参保缴费证明（示例）', Subject: `验证码 ${input.code}`, Keywords: input.code, Creator: 'zhixun 智询', CreationDate: new Date(input.issuedAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('cjk', asFontSource(font.font));
  doc.font('cjk');
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const grey = '#555555';
  const heading = (text: string) => doc.moveDown(0.8).fontSize(12).fillColor('black').text(text, left).moveDown(0.3);

  doc.fontSize(20).text('社会保险参保缴费证明（示例）', left, doc.y, { align: 'center', width });
  doc.moveDown(0.3).fontSize(9).fillColor(grey).text(`验证码 ${input.code}`, { align: 'center', width });
  doc.moveDown(1).fontSize(11).fillColor('black');
  doc.text(`参保人姓名：${input.name}`, left);
  doc.text(`公民身份号码：${content.idNumberMasked}`);
  doc.text(`数据截至：${dateZh(content.asOf)}`);
  doc.moveDown(0.5).text('经查询，该参保人在本统筹地区参加社会保险及缴费情况如下：', { width });

  heading('一、参保缴费情况');
  doc.fontSize(10).table({
    columnStyles: [100, 150, 70, '*'],
    defaultStyle: { padding: [4, 6, 4, 6], borderColor: '#999999' },
    data: [
      ['险种', '累计缴费月数', '欠缴月数', '起止年月'].map((text) => ({ text, backgroundColor: '#eef2f8', type: 'TH' as const })),
      ...INSURANCE_NAMES.map(([key, label]) => {
        const s = content[key];
        return [label, months(s.paidMonths), String(s.arrearsMonths), s.firstMonth ? `${monthZh(s.firstMonth)} 至 ${monthZh(s.lastMonth)}` : '无缴费记录'];
      }),
    ],
  });

  heading('二、基本养老保险逐年缴费月数');
  if (content.pensionYears.length === 0) doc.fontSize(10).text('无缴费记录');
  else {
    const blocks = 3;
    const head = Array.from({ length: blocks }, () => ['年度', '实缴', '欠缴', '断缴']).flat();
    doc.fontSize(9).table({
      columnStyles: Array.from({ length: blocks * 4 }, () => width / (blocks * 4)),
      defaultStyle: { padding: [2, 4, 2, 4], borderColor: '#999999', align: { x: 'center', y: 'center' } },
      data: [head.map((text) => ({ text, backgroundColor: '#eef2f8', type: 'TH' as const })), ...yearRows(content.pensionYears, blocks)],
    });
  }
  doc.moveDown(0.4).fontSize(8.5).fillColor(grey).text('实缴：已足额缴费的月数；欠缴：单位应缴未缴的月数，补缴后计入累计缴费月数；断缴：首末缴费月份之间没有缴费记录的月数。', left, doc.y, { width });

  heading('三、核验');
  doc.fontSize(10).text(`出具日期：${dateZh(chinaDate(input.issuedAt))}        有效期至：${dateZh(chinaDate(input.expiresAt))}`, left);
  doc.moveDown(0.3).fontSize(14).text(`验证码：${input.code}`);
  doc.moveDown(0.2).fontSize(10).text('核验网址：', { continued: true }).fillColor('#1456b8').text(input.verifyUrl, { link: input.verifyUrl, underline: true });
  doc.fillColor('black').moveDown(0.2).text('收到本证明的单位可访问上述网址或在核验页面输入验证码，核对本证明是否真实有效；核验页面只显示打码后的姓名和证件号码。', { width });

  doc.moveDown(1).fontSize(9).fillColor('#b42318').text('注意：本证明由智询演示系统生成，所载人员与缴费数据均为演示数据（示例），不作为办理任何业务的凭证。', left, doc.y, { width });
  doc.end();
  return done;
}
