import { maskPhone } from '../../../common/masking';
import type { AppContext } from '../platform/context';
import { newId, nowIso } from '../platform/ids';

/** The keyed hash a phone number is found by (codes, outbox): the number itself is never stored. */
export const phoneKey = (ctx: AppContext, phone: string) => ctx.secrets.lookupHash(`phone:${phone}`);

/** Sends a text message to a mobile number. */
export interface SmsProvider {
  /** `outbox`: nothing leaves the machine, admins read the messages in the console (development, demos, tests) */
  readonly kind: 'outbox' | 'http';
  send(phone: string, text: string): Promise<void>;
}

/** The development provider: messages are kept in a table that admins read (GET /api/v1/sms-outbox?phone=). */
export function outboxSmsProvider(ctx: AppContext): SmsProvider {
  return {
    kind: 'outbox',
    async send(phone, text) {
      await ctx.db.insertInto('sms_outbox').values({ id: newId(), phone_hash: phoneKey(ctx, phone), phone_masked: maskPhone(phone), text, sent_at: nowIso() }).execute();
    },
  };
}

/**
 * A deployment's SMS gateway: POST {phone, text} as JSON to SMS_URL (with SMS_API_KEY as a Bearer
 * token); any 2xx is sent. Gateways differ, so a deployment puts its own small relay in front.
 */
export function httpSmsProvider(url: string, apiKey: string | undefined, timeoutMs = 5000): SmsProvider {
  return {
    kind: 'http',
    async send(phone, text) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({ phone, text }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    },
  };
}

/** The development outbox's messages to one phone, newest first. */
export async function readOutbox(ctx: AppContext, phone: string) {
  const rows = await ctx.db.selectFrom('sms_outbox').selectAll().where('phone_hash', '=', phoneKey(ctx, phone)).orderBy('sent_at', 'desc').limit(20).execute();
  return rows.map((r) => ({ phone: r.phone_masked as string, text: r.text as string, sentAt: r.sent_at as string }));
}
