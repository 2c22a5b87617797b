/**
 * Masks personal identifiers in free text before it is stored or shown to someone who does not
 * need them: mainland resident ID numbers (18 characters) and mobile numbers (11 digits).
 * 110101199003074512 → 1101**********4512, 13812345678 → 138****5678.
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(/(?<![0-9A-Za-z])([1-9]\d{3})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])/g, '$1**********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

/** Masks an ID number shown in a form field (keeps the first 4 and last 4 characters). */
export function maskIdNumber(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : '****';
}

/** Masks a phone number (keeps the first 3 and last 4 digits). */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
