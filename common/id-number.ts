/**
 * China's 18-character resident ID number (GB 11643-1999): 6-digit region, birth date YYYYMMDD,
 * 3-digit sequence (odd: male, even: female) and an ISO 7064 MOD 11-2 check character (0–9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Upper-cases a trailing x and drops spaces, so "1101 0119 9001 01123x" is read as typed on a form. */
export function normalizeIdNumber(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** Why an ID number is not valid, in Chinese and in English (a form shows one), or null when it is. */
export function idNumberProblem(text: string): { zh: string; en: string } | null {
  const id = normalizeIdNumber(text);
  if (!/^\d{17}[\dX]$/.test(id)) return { zh: '身份证号应为18位（最后一位可为X）', en: 'an ID number has 18 characters, the last may be X' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > Date.now()) {
    return { zh: '身份证号中的出生日期无效', en: 'the birth date in the ID number is not valid' };
  }
  if (idNumberCheckChar(id) !== id[17]) return { zh: '身份证号校验位不正确', en: "the ID number's check character is wrong" };
  return null;
}

/** Birth date (YYYY-MM-DD) and sex read from a valid ID number. */
export function idNumberFacts(id: string): { birthDate: string; sex: 'male' | 'female' } {
  return { birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}
