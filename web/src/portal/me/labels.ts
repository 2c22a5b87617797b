import type { Insurance } from '../../api/citizen';
import type { MessageKey, Translate } from '../../i18n';
import { yearsAndMonths } from './format';

/** 养老保险 … / Pension insurance … */
export const insuranceName = (t: Translate, insurance: Insurance) => t(`me.ins.${insurance}` as MessageKey);
/** 养老 … / Pension …: the insurance switcher's short labels. */
export const insuranceShortName = (t: Translate, insurance: Insurance) => t(`me.ins.short.${insurance}` as MessageKey);

/** 177 months → "14年9个月" / "14 years 9 months". */
export function durationText(t: Translate, months: number) {
  const { years, months: rest } = yearsAndMonths(months);
  const y = years ? t(years === 1 ? 'me.duration.year' : 'me.duration.years', { n: years }) : '';
  const m = rest || !years ? t(rest === 1 ? 'me.duration.month' : 'me.duration.months', { n: rest }) : '';
  return y && m ? t('me.duration.join', { y, m }) : y || m;
}

const APPLICATION_TYPES = ['retirement', 'unemployment_benefit', 'card_replacement', 'transfer', 'injury_recognition', 'other'];
/** 退休申请 … ; a kind the portal does not know is shown as the core system named it. */
export const applicationTypeName = (t: Translate, type: string) => (APPLICATION_TYPES.includes(type) ? t(`me.appType.${type}` as MessageKey) : type);

export type StatusTone = 'progress' | 'action' | 'done' | 'rejected' | 'neutral';
// The core system's statuses are Chinese words; the known ones get an English name and a tone.
const STATUSES: Record<string, { key: string; tone: StatusTone }> = {
  已受理: { key: 'accepted', tone: 'progress' },
  审核中: { key: 'reviewing', tone: 'progress' },
  制卡中: { key: 'making', tone: 'progress' },
  待补材料: { key: 'documents', tone: 'action' },
  已办结: { key: 'done', tone: 'done' },
  已驳回: { key: 'rejected', tone: 'rejected' },
};
/** An application status in the reader's language (unknown ones as given). */
export const applicationStatusName = (t: Translate, status: string) => (STATUSES[status] ? t(`me.appStatus.${STATUSES[status].key}` as MessageKey) : status);
/** The tag colour of a status; the status is always written out in it. */
export const applicationStatusTone = (status: string): StatusTone => STATUSES[status]?.tone ?? 'neutral';

const PAYMENT_TYPES = ['pension', 'unemployment_benefit', 'injury_allowance', 'maternity_allowance'];
/** 基本养老金 … ; an unknown kind as given. */
export const paymentTypeName = (t: Translate, type: string) => (PAYMENT_TYPES.includes(type) ? t(`me.payType.${type}` as MessageKey) : type);
