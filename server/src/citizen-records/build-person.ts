import { idNumberCheckChar } from '../../../common/id-number';
import type { ImportPerson } from './schema';

/** A valid ID number for a birth date and sequence (odd: male), check character included. */
export function buildIdNumber(birth = '19750612', sequence = 123, region = '330106'): string {
  const first17 = `${region}${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/**
 * A person to import, for tests: pension and medical months from `from` to `to` with one employer at
 * one base, optional arrears months at the end and a gap, and a retirement application.
 */
export function buildPerson(overrides: Partial<ImportPerson> & { sequence?: number; from?: string; to?: string; arrears?: number; gap?: string[]; base?: number } = {}): ImportPerson {
  const { sequence = 123, from = '2015-01', to = '2024-12', arrears = 0, gap = [], base = 6000, ...rest } = overrides;
  const months: string[] = [];
  for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5)); `${y}-${String(m).padStart(2, '0')}` <= to; m === 12 ? (y++, (m = 1)) : m++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (!gap.includes(month)) months.push(month);
  }
  const cents = (x: number) => Math.round(x * 100) / 100;
  const contributions = months.flatMap((month, i) => {
    const status = i >= months.length - arrears ? ('arrears' as const) : ('paid' as const);
    return [
      { month, insurance: 'pension' as const, employer: '杭州恒达机械有限公司', base, employerAmount: cents(base * 0.16), personalAmount: cents(base * 0.08), status },
      { month, insurance: 'medical' as const, employer: '杭州恒达机械有限公司', base, employerAmount: cents(base * 0.08), personalAmount: cents(base * 0.02), status },
    ];
  });
  return {
    idNumber: buildIdNumber('19750612', sequence),
    name: `测试${sequence}`,
    phone: `139${String(sequence).padStart(8, '0')}`,
    contributions,
    applications: [
      {
        id: `SQ2024${String(sequence).padStart(6, '0')}`,
        type: 'retirement',
        status: '审核中',
        history: [
          { at: '2024-11-02T09:00:00+08:00', status: '已受理' },
          { at: '2024-11-05T10:30:00+08:00', status: '审核中', note: '待核对视同缴费年限' },
        ],
      },
    ],
    payments: [],
    ...rest,
  };
}
