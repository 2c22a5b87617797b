import type { Lang } from '../../i18n';

// Formatting for the citizen's pages. Amounts arrive as decimal strings ("12345.60") and are only
// regrouped here as text, never turned into binary floating point.

/** "12345.6" → "¥12,345.60" (the sign before the ¥). */
export function formatAmount(amount: string): string {
  const isNegative = amount.startsWith('-');
  const [whole, fraction = ''] = amount.replace(/^-/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${isNegative ? '-' : ''}¥${grouped}.${fraction.padEnd(2, '0').slice(0, 2)}`;
}

/** "0.0712" → "7.12%": the account's interest rate is a fraction with four places. */
export function formatRate(rate: string): string {
  const [whole, fraction = ''] = rate.split('.');
  const digits = (fraction + '0000').slice(0, 4);
  const percent = `${Number(whole) * 100 + Number(digits.slice(0, 2))}.${digits.slice(2)}`;
  return `${percent}%`;
}

// Dates and times come from the one formatter of the app (China time, "2026年12月7日 14:05" / "2026-12-07 14:05").
export { formatDate, formatDateTime } from '../../i18n';

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2024-11" → "2024年11月" / "Nov 2024". */
export function formatMonth(month: string, lang: Lang): string {
  const [year, m] = month.split('-').map(Number);
  return lang === 'zh' ? `${year}年${m}月` : `${EN_MONTHS[m - 1]} ${year}`;
}

/** The short name of a month of the year, 1-based: "11月" / "Nov". */
export function monthName(m: number, lang: Lang): string {
  return lang === 'zh' ? `${m}月` : EN_MONTHS[m - 1];
}

/** A number of months as years and months: 177 → { years: 14, months: 9 }. */
export function yearsAndMonths(total: number) {
  return { years: Math.floor(total / 12), months: total % 12 };
}

/** The Chinese half or the English half of a server message written "中文 / English". */
export function localMessage(message: string, lang: Lang): string {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return lang === 'zh' ? message.slice(0, at) : message.slice(at + 3);
}
