/** Display names and colours of the conversation model's values in the workspace. */
import { Tag } from 'antd';
import type { AgentStatus, Channel, Conversation, ConversationStatus } from '../../../common/conversations';
import type { MessageKey, Translate } from '../i18n';

export const STATUS_COLORS: Record<AgentStatus, string> = { online: '#52c41a', busy: '#fa8c16', away: '#bfbfbf', offline: '#d9d9d9' };

export const agentStatusLabel = (t: Translate, s: AgentStatus) => t(`ws.agentStatus.${s}` as MessageKey);

export const channelLabel = (t: Translate, c: Channel | string) => {
  const key = `ws.channel.${c}` as MessageKey;
  const text = t(key);
  return text === key ? c : text;
};

export const handoffLabel = (t: Translate, reason: string | null) => {
  if (!reason) return '';
  const key = `ws.handoff.${reason}` as MessageKey;
  const text = t(key);
  return text === key ? reason : text;
};

const CONVERSATION_COLORS: Record<ConversationStatus, string> = { bot: 'purple', queued: 'orange', assigned: 'blue', resolved: 'default' };

export function ConversationStatusTag({ t, conversation }: { t: Translate; conversation: Pick<Conversation, 'status' | 'isLeftMessage'> }) {
  if (conversation.isLeftMessage && conversation.status === 'queued') return <Tag color="magenta">{t('ws.leftMessage')}</Tag>;
  return <Tag color={CONVERSATION_COLORS[conversation.status]}>{t(`ws.convStatus.${conversation.status}` as MessageKey)}</Tag>;
}

/** "3分12秒" / "1h 05m": how long something has been going. */
export function formatDuration(t: Translate, seconds: number) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return t('ws.dur.s', { s });
  if (s < 3600) return t('ws.dur.ms', { m: Math.floor(s / 60), s: s % 60 });
  return t('ws.dur.hm', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

/** The contact's name, or a short anonymous label from the id. */
export const contactName = (t: Translate, c: Conversation) => c.contact.name || t('ws.visitor', { id: c.contact.id.slice(-4).toUpperCase() });
