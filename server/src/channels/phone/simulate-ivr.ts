import type { ChannelFunnel } from '../../conversations/channel-adapter';
import { callbackWindow, initialState, ivrStep, validateIvrTree, type IvrInput, type IvrIo, type IvrState } from './ivr-menu';
import type { CallAction, IvrTree } from './schema';

export interface SimulateInput {
  tree: IvrTree;
  inputs: { digits?: string; text?: string }[];
  isClosed: boolean;
  waitSeconds: number;
  callbackThresholdSeconds: number;
}

/**
 * What a caller would hear, key by key, on a draft or the saved tree: the same engine as a live call
 * with a pretend world around it — no conversation, no queue place, no callback request is created.
 */
export async function simulateIvr(funnel: ChannelFunnel, input: SimulateInput) {
  validateIvrTree(input.tree, (id) => Boolean(funnel.knowledgeEntry(id)));
  const queued = { status: 'queued' as const, conversationId: 'simulated', skill: null, position: 1, estimatedWaitSeconds: input.waitSeconds };
  let skill: string | null = null;
  const io: IvrIo = {
    canListen: true,
    callbackThresholdSeconds: input.callbackThresholdSeconds,
    hours: async () => ({ isOpen: !input.isClosed, nextOpening: input.isClosed ? new Date(Date.now() + 12 * 3_600_000) : null }),
    record: async () => {},
    async readEntry(entryId) {
      const entry = funnel.knowledgeEntry(entryId);
      return entry ? `（播报知识条目“${entry.question}”的答案）` : null;
    },
    ask: async (text) => ({ say: `（智能问答将回答：“${text}”）`, choices: 0, isWithPeople: false }),
    async handOff(s) {
      skill = s;
      return { ...queued, skill };
    },
    waiting: async () => ({ ...queued, skill }),
    requestCallback: async (window) => ({ phoneMasked: '138****0000', when: callbackWindow(window).when }),
    end: async () => {},
  };
  const turns: { input: string; actions: CallAction[]; state: string }[] = [];
  let state: IvrState = initialState(input.tree);
  const run = async (label: string, step: IvrInput) => {
    const result = await ivrStep(input.tree, state, step, io);
    state = result.state;
    turns.push({ input: label, actions: result.actions, state: describe(state) });
  };
  await run('来电 / call starts', { kind: 'start' });
  for (const step of input.inputs) {
    if (state.mode === 'ended') break;
    if (step.digits) await run(`按键 ${step.digits}`, { kind: 'dtmf', digits: step.digits });
    else if (step.text) await run(`语音“${step.text}”`, { kind: 'speech', text: step.text });
    else await run('无输入 / silence', state.mode === 'queued' || state.mode === 'bridged' ? { kind: 'poll' } : { kind: 'timeout' });
  }
  return { turns };
}

const describe = (s: IvrState) => (s.mode === 'menu' || s.mode === 'robot' ? `${s.mode}:${s.nodeId}` : s.mode);
