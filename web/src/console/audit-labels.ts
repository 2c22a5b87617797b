import type { AuditRecord } from '../api/types';
import type { MessageKey, Translate } from '../i18n';
import { zh } from '../i18n/messages';

/** The message key naming an audit action, or null for an action the web has no words for yet (shown as its code). */
export function auditActionKey(action: string): MessageKey | null {
  const key = `audit.action.${action}`;
  return key in zh ? (key as MessageKey) : null;
}

const FIELD_LABELS: Record<string, MessageKey> = { idNumber: 'rec.audit.field.idNumber', phone: 'rec.audit.field.phone', name: 'rec.audit.field.name' };

/** "查看参保记录", and for an unmask the field shown: "显示完整信息（手机号）". */
export function actionLabel(t: Translate, row: Pick<AuditRecord, 'action' | 'detail'>) {
  const key = auditActionKey(row.action);
  if (!key) return row.action;
  const field = FIELD_LABELS[String(row.detail.what)];
  return row.action === 'records.unmask' && field ? t('audit.actionUnmaskField', { field: t(field) }) : t(key);
}

/** Who did it in words: a staff member's name, an API key or a citizen by kind and name; the raw account when nothing better is known. */
export function actorLabel(t: Translate, row: Pick<AuditRecord, 'actor' | 'actorKind' | 'actorName' | 'actorUsername'>) {
  if (row.actorKind === 'user') return row.actorName && row.actorName !== row.actorUsername ? `${row.actorName} (${row.actorUsername})` : (row.actorUsername ?? row.actor);
  if (row.actorKind === 'apiKey' || row.actorKind === 'citizen') return `${t(`audit.actorKind.${row.actorKind}` as MessageKey)} ${row.actorName ?? ''}`.trim();
  if (row.actorKind === 'anonymous') return t('audit.actorKind.anonymous');
  return row.actor;
}

/** The kind of subject in words ("知识条目"), or its code when the web has no words for it. */
export function subjectKindLabel(t: Translate, subjectType: string | null) {
  if (!subjectType) return '';
  const key = `audit.subject.${subjectType}`;
  return key in zh ? t(key as MessageKey) : subjectType;
}
