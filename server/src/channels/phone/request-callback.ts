import type { AppContext } from '../../platform/context';
import { newId } from '../../platform/ids';
import { callbackWindow } from './ivr-menu';
import { phoneRepo } from './repo';
import type { CallbackWindow } from './schema';

/**
 * A caller's callback request (预约回拨): the number is kept sealed (AES-256-GCM) and masked, with the
 * chosen time window, the call's conversation and contact. One request per call: a repeated key
 * press keeps the first.
 */
export async function requestCallback(
  ctx: AppContext,
  input: { callId: string; phoneSealed: string; phoneMasked: string; window: CallbackWindow; conversationId: string | null; contactId: string | null },
) {
  const { start, end, when } = callbackWindow(input.window);
  const ticket = await phoneRepo(ctx.db).insertCallback({
    id: newId(),
    callId: input.callId,
    conversationId: input.conversationId,
    contactId: input.contactId,
    phoneSealed: input.phoneSealed,
    phoneMasked: input.phoneMasked,
    window: input.window,
    windowStart: start.toISOString(),
    windowEnd: end.toISOString(),
  });
  return { ...ticket, when: callbackWindow(ticket.window, new Date(ticket.createdAt)).when };
}
