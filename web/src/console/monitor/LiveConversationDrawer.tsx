import { EyeOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Input, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { REALTIME, type Conversation, type Message } from '../../../../common/conversations';
import { errorMessage } from '../../api/client';
import { monitorApi } from '../../api/monitor';
import { formatTime, useI18n, type MessageKey } from '../../i18n';
import { emitWithAck, useOnConnect, useSocketEvent, type AgentSocket } from '../../workspace/realtime';

/**
 * A conversation followed live and read-only: its messages (notes included) from the agent socket's
 * `watch`, with the supervisor's two actions: take it over, or whisper to the agent.
 */
export function LiveConversationDrawer({ socket, conversationId, onClose }: { socket: AgentSocket | null; conversationId: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [whisper, setWhisper] = useState('');
  const [isBusy, setBusy] = useState(false);
  const [isTakenOver, setTakenOver] = useState(false);
  const lastSeq = useRef(0);
  const list = useRef<HTMLDivElement>(null);

  const add = useCallback((incoming: Message[]) => {
    setMessages((current) => {
      const bySeq = new Map(current.map((m) => [m.seq, m]));
      for (const m of incoming) bySeq.set(m.seq, m);
      const next = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
      lastSeq.current = next.at(-1)?.seq ?? 0;
      return next;
    });
  }, []);

  useEffect(() => {
    setConversation(null);
    setMessages([]);
    setTakenOver(false);
    lastSeq.current = 0;
    if (!conversationId) return;
    let isCurrent = true;
    monitorApi
      .conversation(conversationId)
      .then((detail) => {
        if (!isCurrent) return;
        setConversation(detail.conversation);
        add(detail.messages);
      })
      .catch((err) => message.error(errorMessage(err)));
    return () => {
      isCurrent = false;
      socket?.emit('unwatch', { conversationId });
    };
  }, [conversationId, socket, add, message]);

  // follow it live (again after every reconnection, from the last message seen)
  useOnConnect(conversationId ? socket : null, () => {
    if (!socket || !conversationId) return;
    emitWithAck<{ messages?: Message[] }>(socket, 'watch', { conversationId, lastSeq: lastSeq.current })
      .then((reply) => reply.messages && add(reply.messages))
      .catch(() => undefined);
  });
  useSocketEvent(socket, REALTIME.message, (m) => {
    if (m.conversationId === conversationId) add([m]);
  });
  useSocketEvent(socket, REALTIME.conversation, (c) => {
    if (c.id === conversationId) setConversation(c);
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: messages.length is the trigger: a new message scrolls the list to the bottom
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [messages.length]);

  async function takeOver() {
    if (!conversationId) return;
    setBusy(true);
    try {
      setConversation(await monitorApi.takeOver(conversationId));
      setTakenOver(true);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  async function sendWhisper() {
    const text = whisper.trim();
    if (!conversationId || !text) return;
    setBusy(true);
    try {
      add([(await monitorApi.whisper(conversationId, text)).message]);
      setWhisper('');
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const isClosed = conversation?.status === 'resolved';
  const senderLabel = (m: Message) => (m.sender === 'agent' ? (m.senderName ?? m.sender) : t(`monitor.sender.${m.sender}` as MessageKey));
  return (
    <Drawer open={Boolean(conversationId)} onClose={onClose} width={520} title={<Space><EyeOutlined />{t('monitor.drawer.title')}{conversation?.assignee && <Tag>{conversation.assignee.name}</Tag>}</Space>} destroyOnClose>
      <div data-testid="monitor-drawer" data-id={conversationId ?? ''} style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
        {isTakenOver && <Alert type="success" showIcon message={t('monitor.drawer.takenOver')} style={{ marginBottom: 8 }} />}
        {isClosed && <Alert type="info" showIcon message={t('monitor.drawer.closed')} style={{ marginBottom: 8 }} />}
        <div ref={list} style={{ flex: 1, overflowY: 'auto', border: '1px solid #f0f0f0', borderRadius: 6, padding: 8, background: '#fafafa' }}>
          {messages.map((m) => (
            <div key={m.seq} data-testid="monitor-message" data-sender={m.sender} data-private={m.private ? 'true' : 'false'} style={{ marginBottom: 8, textAlign: m.sender === 'customer' ? 'left' : 'right' }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {senderLabel(m)} · {formatTime(m.createdAt)} {m.private && <Tag color="gold">{t('monitor.drawer.private')}</Tag>}
              </Typography.Text>
              <div style={{ display: 'inline-block', maxWidth: '85%', padding: '6px 10px', borderRadius: 8, whiteSpace: 'pre-wrap', textAlign: 'left', background: m.private ? '#fffbe6' : m.sender === 'customer' ? '#fff' : '#e6f4ff', border: '1px solid #f0f0f0' }}>{m.text}</div>
            </div>
          ))}
        </div>
        <Space direction="vertical" style={{ width: '100%', marginTop: 12 }}>
          <Button icon={<UserSwitchOutlined />} onClick={takeOver} loading={isBusy} disabled={isClosed || isTakenOver} data-testid="monitor-take-over">
            {t('monitor.drawer.takeOver')}
          </Button>
          <Input.TextArea value={whisper} onChange={(e) => setWhisper(e.target.value)} placeholder={t('monitor.drawer.whisper')} autoSize={{ minRows: 2, maxRows: 4 }} maxLength={2000} disabled={isClosed} data-testid="monitor-whisper-input" />
          <Button type="primary" onClick={sendWhisper} loading={isBusy} disabled={isClosed || !whisper.trim()} data-testid="monitor-whisper-send">
            {t('monitor.drawer.send')}
          </Button>
        </Space>
      </div>
    </Drawer>
  );
}
