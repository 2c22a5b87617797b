import { authorize, authorizeCitizen, type Actor } from '../identity/permissions';
import { AppError, forbidden, notFound } from '../platform/errors';
import { now } from '../platform/ids';
import { isFreshlyVerified } from '../../../common/citizen-records';
import type { CitizenRecordsDeps } from './ports';
import { recordsRepo } from './repo';
import type { PersonRecord } from './model';

/** Audit subject of every look-up of a person's record. */
export const PERSON_SUBJECT = 'record_person';

/**
 * The signed-in citizen's own record: only theirs (the person id comes from the session, never from
 * the request), and only within a few minutes of their last SMS code (else 401 step_up_required).
 */
export async function ownPerson(deps: CitizenRecordsDeps, actor: Actor, what: string): Promise<PersonRecord> {
  const citizen = authorizeCitizen(actor);
  if (!isFreshlyVerified(citizen.verifiedAt, now())) throw new AppError(401, 'step_up_required', { zh: '为保护您的个人信息，请再次输入短信验证码', en: 'enter a new SMS code to see your records' });
  const person = await recordsRepo(deps.ctx.db, deps.ctx.secrets).personById(citizen.personId);
  if (!person) throw notFound('参保记录', 'record_not_found');
  await deps.ctx.audit.record(actor, { action: 'records.self_read', subjectType: PERSON_SUBJECT, subjectId: person.id, detail: { what } });
  return person;
}

export interface ServiceAccess {
  /** the conversation in which the agent serves this verified person */
  conversationId?: string;
  /** or the ID number the caller gave, with the reason for looking it up */
  idNumber?: string;
  reason?: string;
}

/** The fields staff may see unmasked, one at a time and with a reason. */
export type UnmaskableField = 'idNumber' | 'phone' | 'name';

/**
 * A person's record for an agent serving them: inside an active conversation with that verified
 * person, or with a stated reason; otherwise refused. Every read is audited: who, whom, what, when,
 * why and from which conversation — and the person sees it in "who looked at my record".
 */
export async function personForService(deps: CitizenRecordsDeps, actor: Actor, access: ServiceAccess, what: 'record' | UnmaskableField, ip?: string): Promise<PersonRecord> {
  authorize(actor, 'records.serve');
  const repo = recordsRepo(deps.ctx.db, deps.ctx.secrets);
  const reason = access.reason?.trim() || null;
  let person: PersonRecord | undefined;
  if (access.conversationId) {
    const personId = await deps.conversations.verifiedPersonIn(actor, access.conversationId);
    if (!personId) throw forbidden('not_serving_verified_person', { zh: '该会话中没有已核验身份的市民，或会话不由您服务', en: 'no verified citizen in a conversation you are serving' });
    person = await repo.personById(personId);
  } else {
    if (!reason || reason.length < 4) throw forbidden('reason_required', { zh: '会话之外查看个人记录须填写查询原因', en: 'outside a conversation with the person, a reason is required' });
    if (!access.idNumber) throw forbidden('reason_required', { zh: '请提供身份证号', en: 'give the ID number' });
    person = await repo.personByIdNumber(access.idNumber);
  }
  if (what !== 'record' && !reason) throw forbidden('reason_required', { zh: '显示完整信息须填写原因', en: 'unmasking a field needs a reason' });
  if (!person) throw notFound('参保记录', 'record_not_found');
  await deps.ctx.audit.record(actor, { action: what === 'record' ? 'records.read' : 'records.unmask', subjectType: PERSON_SUBJECT, subjectId: person.id, detail: { what, reason, conversationId: access.conversationId ?? null } }, ip);
  return person;
}
