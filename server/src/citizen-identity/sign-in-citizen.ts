import { randomInt, timingSafeEqual } from 'node:crypto';
import { idNumberProblem, normalizeIdNumber } from '../../../common/id-number';
import { hashToken } from '../identity/tokens';
import { AppError, badRequest } from '../platform/errors';
import { newId, newToken, now } from '../platform/ids';
import type { CitizenIdentityDeps } from './ports';
import { phoneKey } from './sms-provider';

export const CITIZEN_TOKEN_PREFIX = 'zxc_';

/** How long codes and sessions live, and how often codes may be sent. */
export const CITIZEN_SIGN_IN = {
  codeMinutes: 5,
  codeAttempts: 5,
  /** at most one code a minute to a phone … */
  phoneCooldownSeconds: 60,
  /** … five an hour to a phone, and twenty an hour from one client address */
  codesPerPhonePerHour: 5,
  codesPerClientPerHour: 20,
  /** a session ends after 30 idle minutes, and after 4 hours whatever happens */
  idleMinutes: 30,
  absoluteHours: 4,
};

const INVALID = () => new AppError(401, 'invalid_credentials', { zh: '身份信息或验证码不正确', en: 'the identity details or the code are not right' });

const minutesFrom = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000).toISOString();

function codeHash(deps: CitizenIdentityDeps, phone: string, code: string) {
  return deps.ctx.secrets.lookupHash(`sms:${phone}:${code}`);
}

/**
 * Sends a one-time code to a phone (202 whatever the phone: whether it belongs to anyone is not
 * revealed). Limited per phone and per client address; a refused send says when to try again.
 */
export async function sendSignInCode(deps: CitizenIdentityDeps, phone: string, clientKey: string, purpose: 'sign_in' | 'step_up' = 'sign_in') {
  const { ctx } = deps;
  const at = now();
  const phoneHash = phoneKey(ctx, phone);
  const hourAgo = new Date(at.getTime() - 3_600_000).toISOString();
  const recent = await ctx.db.selectFrom('citizen_sms_codes').select('created_at').where('phone_hash', '=', phoneHash).where('created_at', '>', hourAgo).orderBy('created_at', 'desc').execute();
  const lastAt = recent[0] ? new Date(recent[0].created_at).getTime() : 0;
  const cooldown = Math.ceil((lastAt + CITIZEN_SIGN_IN.phoneCooldownSeconds * 1000 - at.getTime()) / 1000);
  if (cooldown > 0) throw tooSoon(cooldown);
  if (recent.length >= CITIZEN_SIGN_IN.codesPerPhonePerHour) throw tooSoon(Math.ceil((new Date(recent.at(-1)!.created_at).getTime() + 3_600_000 - at.getTime()) / 1000));
  const fromClient = await ctx.db.selectFrom('citizen_sms_codes').select((eb) => eb.fn.countAll().as('n')).where('client_key', '=', clientKey).where('created_at', '>', hourAgo).executeTakeFirst();
  if (Number(fromClient?.n ?? 0) >= CITIZEN_SIGN_IN.codesPerClientPerHour) throw tooSoon(3600);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await ctx.db
    .insertInto('citizen_sms_codes')
    .values({ id: newId(), phone_hash: phoneHash, code_hash: codeHash(deps, phone, code), purpose, client_key: clientKey, created_at: at.toISOString(), expires_at: minutesFrom(at, CITIZEN_SIGN_IN.codeMinutes), attempts: 0, used_at: null })
    .execute();
  await deps.sms.send(phone, `【12333】您的验证码是${code}，${CITIZEN_SIGN_IN.codeMinutes}分钟内有效。请勿告诉他人，工作人员不会向您索要验证码。`);
}

function tooSoon(seconds: number) {
  const error = new AppError(429, 'sms_too_frequent', { zh: `验证码发送过于频繁，请${seconds}秒后再试`, en: `codes were sent too often, try again in ${seconds} s` });
  return Object.assign(error, { retryAfterSeconds: seconds });
}

/**
 * Uses the newest live code of a phone: right once, then spent; wrong a few times, then spent too.
 * Returns whether it matched.
 */
async function consumeCode(deps: CitizenIdentityDeps, phone: string, code: string, purpose: string): Promise<boolean> {
  const { ctx } = deps;
  const at = now().toISOString();
  const row = await ctx.db
    .selectFrom('citizen_sms_codes')
    .selectAll()
    .where('phone_hash', '=', phoneKey(ctx, phone))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row || Number(row.attempts) >= CITIZEN_SIGN_IN.codeAttempts) return false;
  const isRight = /^\d{6}$/.test(code) && timingSafeEqual(Buffer.from(row.code_hash), Buffer.from(codeHash(deps, phone, code)));
  // a right code is spent at once; a wrong one counts, and the last allowed wrong one spends it
  const attempts = Number(row.attempts) + (isRight ? 0 : 1);
  const spent = isRight || attempts >= CITIZEN_SIGN_IN.codeAttempts;
  const update = await ctx.db
    .updateTable('citizen_sms_codes')
    .set({ attempts, used_at: spent ? at : null })
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .where('attempts', '=', Number(row.attempts))
    .executeTakeFirst();
  // two requests racing for one code: only the one that changed the row may use it
  return isRight && Number(update.numUpdatedRows) === 1;
}

/**
 * Signs a citizen in with ID number, name, phone and the code texted to that phone. A wrong code,
 * an unknown ID number, another person's phone or name: one answer for all, so nothing can be
 * learnt about who is insured. The code is spent either way.
 */
export async function signInCitizen(deps: CitizenIdentityDeps, input: { idNumber: string; name: string; phone: string; code: string }, clientKey: string) {
  const idNumber = normalizeIdNumber(input.idNumber);
  const problem = idNumberProblem(idNumber);
  if (problem) throw badRequest('invalid_id_number', problem, 'idNumber');
  const isCodeRight = await consumeCode(deps, input.phone, input.code, 'sign_in');
  const person = isCodeRight ? await deps.persons.byIdNumber(idNumber) : undefined;
  const matches = !!person && person.name === input.name.trim() && person.phone === input.phone;
  const isRealName = matches && (!deps.realName || (await deps.realName.verify(idNumber, input.name.trim())));
  if (!person || !matches || !isRealName) {
    await deps.ctx.audit.record(`citizen:${person?.personId ?? 'unknown'}`, { action: 'citizen.login_failed', detail: { reason: !isCodeRight ? 'code' : !person ? 'unknown_person' : !matches ? 'mismatch' : 'real_name' } }, clientKey);
    throw INVALID();
  }
  const token = CITIZEN_TOKEN_PREFIX + newToken(32);
  const at = now();
  const session = {
    token_hash: hashToken(token),
    person_id: person.personId,
    created_at: at.toISOString(),
    expires_at: minutesFrom(at, CITIZEN_SIGN_IN.idleMinutes),
    absolute_expires_at: minutesFrom(at, CITIZEN_SIGN_IN.absoluteHours * 60),
    verified_at: at.toISOString(),
  };
  await deps.ctx.db.insertInto('citizen_sessions').values(session).execute();
  await deps.ctx.audit.record(`citizen:${person.personId}`, { action: 'citizen.login', subjectType: 'record_person', subjectId: person.personId }, clientKey);
  return { token, person, session };
}

/** The session behind a citizen's token, its idle expiry moved forward; undefined when unknown or over. */
export async function citizenSession(deps: Pick<CitizenIdentityDeps, 'ctx'>, token: string) {
  const tokenHash = hashToken(token);
  const row = await deps.ctx.db.selectFrom('citizen_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  const at = now();
  if (!row || row.expires_at <= at.toISOString() || row.absolute_expires_at <= at.toISOString()) return undefined;
  const expiresAt = [minutesFrom(at, CITIZEN_SIGN_IN.idleMinutes), row.absolute_expires_at].sort()[0];
  // written at most once a minute: every request of a busy page need not touch the row
  if (new Date(expiresAt).getTime() - new Date(row.expires_at).getTime() > 60_000) await deps.ctx.db.updateTable('citizen_sessions').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
  return { tokenHash, personId: row.person_id as string, verifiedAt: row.verified_at as string, expiresAt };
}

/** A fresh SMS code for a signed-in citizen, before their records are shown again. */
export async function stepUp(deps: CitizenIdentityDeps, sessionId: string, personId: string, code: string) {
  const person = await deps.persons.byId(personId);
  if (!person || !(await consumeCode(deps, person.phone, code, 'step_up'))) throw INVALID();
  const at = now().toISOString();
  await deps.ctx.db.updateTable('citizen_sessions').set({ verified_at: at }).where('token_hash', '=', sessionId).execute();
  return at;
}

/** Ends one session, or every session of the person (sign out everywhere, after a lost phone). */
export async function signOutCitizen(deps: Pick<CitizenIdentityDeps, 'ctx'>, session: { sessionId: string; personId: string }, everywhere: boolean) {
  const query = deps.ctx.db.deleteFrom('citizen_sessions');
  await (everywhere ? query.where('person_id', '=', session.personId) : query.where('token_hash', '=', session.sessionId)).execute();
  await deps.ctx.audit.record(`citizen:${session.personId}`, { action: everywhere ? 'citizen.logout_all' : 'citizen.logout', subjectType: 'record_person', subjectId: session.personId });
}
