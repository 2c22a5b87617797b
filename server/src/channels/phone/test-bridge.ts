import assert from 'node:assert/strict';
import { bearer, type TestApp } from '../../testing/test-app';

/** Test helpers: a telephony bridge speaking the call-control protocol. */
export type Action = { say?: string; audioUrl?: string; collect?: { digits: number; speech: boolean; timeoutMs: number }; queue?: { conversationId: string; position: number; estimatedWaitSeconds: number; skill: string | null }; bridge?: { agentId: string; agentName: string; extension?: string }; hangup?: true };

/** An API key with the telephony scope, and a bridge that speaks the call-control protocol with it. */
export async function telephonyBridge(t: TestApp, scopes = ['telephony']) {
  const admin = await t.adminToken();
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: `bridge ${Math.random()}`, scopes } });
  assert.equal(created.statusCode, 201, created.body);
  const key = created.json().key as string;
  return {
    key,
    /** One call: its events are numbered like a bridge does. */
    call(callId = `call-${Math.random().toString(36).slice(2)}`) {
      let seq = 0;
      const post = async (body: Record<string, unknown>) => {
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/channels/phone/calls/${callId}/events`, headers: bearer(key), payload: { seq: ++seq, ...body } });
        assert.equal(res.statusCode, 200, res.body);
        return res.json().actions as Action[];
      };
      return {
        callId,
        post,
        start: (from?: string, extra: Record<string, unknown> = {}) => post({ event: 'start', ...(from ? { from } : {}), to: '12333', ...extra }),
        press: (digits: string) => post({ event: 'dtmf', digits }),
        say: (text: string) => post({ event: 'speech', text }),
        poll: () => post({ event: 'poll' }),
        hangup: () => post({ event: 'hangup' }),
        resend: (n: number, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1/channels/phone/calls/${callId}/events`, headers: bearer(key), payload: { seq: n, ...body } }),
      };
    },
  };
}

/** Everything said in one answer, as one string. */
export const heard = (actions: Action[]) => actions.flatMap((a) => (a.say ? [a.say] : [])).join(' ');

export const until = async <T>(check: () => Promise<T | undefined | false>, label: string): Promise<T> => {
  for (let i = 0; i < 100; i++) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`never happened: ${label}`);
};

