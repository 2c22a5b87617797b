import { CheckOutlined, CloseCircleOutlined, EyeOutlined, LockOutlined, PaperClipOutlined, RobotOutlined, SendOutlined, StarFilled, SwapOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, Space, Spin, Switch, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { REALTIME, type Conversation, type Message } from '../../../common/conversations';
import { errorMessage } from '../api/client';
import { formatDateTime, formatTime, useI18n, type MessageKey } from '../i18n';
import { renderPreview } from '../shell/markdown';
import { ErrorAlert } from '../shell/common';
import { useSession } from '../shell/session';
import { agentApi, type Skill } from './api';
import { ContextPanel } from './ContextPanel';
import { CloseDialog, TransferDialog } from './ConversationDialogs';
import { EntryDrawer } from './KnowledgeTab';
import { channelLabel, contactName, ConversationStatusTag, handoffLabel } from './labels';
import { emitWithAck, useOnConnect, useSocketEvent, type AgentSocket } from './realtime';

const newClientId = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** Adds messages by sequence number: a push that overtakes its HTTP answer (or a catch-up) is stored once. */
function mergeMessages(current: Message[], incoming: Message[]) {
  if (!incoming.length) return current;
  const bySeq = new Map(current.map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The open conversation (centre) and its context (right). It follows the conversation live: on
 * every (re)connection it watches it from the last sequence number it has, so nothing sent while the
 * connection was down is missed.
 */
export function ConversationPane({
  id,
  socket,
  isSupervisor,
  skills,
  skillName,
  onAccept,
  onChanged,
  onLeave,
}: {
  id: string;
  socket: AgentSocket | null;
  isSupervisor: boolean;
  skills: Skill[];
  skillName: (id: string | null) => string;
  onAccept: () => void;
  onChanged: () => void;
  onLeave: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { me } = useSession();
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [isCustomerTyping, setCustomerTyping] = useState(false);
  const [customerReadSeq, setCustomerReadSeq] = useState(0);
  const [draft, setDraft] = useState<{ text: string; entryId?: string }>({ text: '' });
  const [isPrivate, setPrivate] = useState(false);
  const [isSending, setSending] = useState(false);
  const [dialog, setDialog] = useState<'close' | 'transfer' | null>(null);
  const [entryShown, setEntryShown] = useState<string | null>(null);
  const lastSeq = useRef(0);
  lastSeq.current = messages.at(-1)?.seq ?? 0;
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastTypingSent = useRef(0);
  const readSent = useRef(0);

  useEffect(() => {
    let isCurrent = true;
    agentApi.conversation(id).then(
      (detail) => {
        if (!isCurrent) return;
        setConversation(detail.conversation);
        setMessages((current) => mergeMessages(current, detail.messages));
      },
      (err) => isCurrent && setError(err),
    );
    return () => {
      isCurrent = false;
    };
  }, [id]);

  const watch = useCallback(async () => {
    if (!socket) return;
    try {
      const reply = await emitWithAck<{ messages?: Message[]; error?: { message: string } }>(socket, 'watch', { conversationId: id, lastSeq: lastSeq.current });
      if (reply.messages) setMessages((current) => mergeMessages(current, reply.messages!));
    } catch {
      /* no answer: the next reconnection watches again */
    }
  }, [socket, id]);
  useOnConnect(socket, () => void watch());
  useEffect(
    () => () => {
      socket?.emit('unwatch', { conversationId: id });
    },
    [socket, id],
  );

  useSocketEvent(socket, REALTIME.message, (m) => {
    if (m.conversationId !== id) return;
    setMessages((current) => mergeMessages(current, [m]));
    if (m.sender === 'customer') setCustomerTyping(false);
  });
  useSocketEvent(socket, REALTIME.conversation, (c) => {
    if (c.id === id) setConversation(c);
  });
  useSocketEvent(socket, REALTIME.typing, (p) => {
    if (p.conversationId !== id || p.from !== 'customer') return;
    setCustomerTyping(true);
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => setCustomerTyping(false), 4000);
  });
  useSocketEvent(socket, REALTIME.read, (p) => {
    if (p.conversationId === id && p.by === 'customer') setCustomerReadSeq((s) => Math.max(s, p.seq));
  });
  useEffect(() => () => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
  }, []);

  const isMine = conversation?.assignee?.id === me.id && conversation.status === 'assigned';
  const isOpen = conversation !== null && conversation.status !== 'resolved';
  /** a supervisor in someone else's conversation writes internal notes only (whisper) */
  const isWhisper = !isMine && isSupervisor && isOpen;
  const canWrite = isMine || isWhisper;
  const willBePrivate = isWhisper || isPrivate;

  // read state: what the agent has on screen is read, while the tab is visible
  // biome-ignore lint/correctness/useExhaustiveDependencies: messages is the trigger (the seq is read from a ref): new messages on screen are marked read
  useEffect(() => {
    const markRead = () => {
      if (!isMine || document.visibilityState !== 'visible' || !socket) return;
      const seq = lastSeq.current;
      if (seq > readSent.current) {
        readSent.current = seq;
        socket.emit('read', { conversationId: id, seq });
      }
    };
    markRead();
    document.addEventListener('visibilitychange', markRead);
    return () => document.removeEventListener('visibilitychange', markRead);
  }, [messages, isMine, socket, id]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the listed values are triggers: a new message or the typing line scrolls the log to the bottom
  useLayoutEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, isCustomerTyping]);

  const lastCustomerSeq = [...messages].reverse().find((m) => m.sender === 'customer')?.seq ?? 0;

  function onDraftChange(text: string) {
    setDraft((d) => ({ text, entryId: text.trim() ? d.entryId : undefined }));
    if (isMine && !willBePrivate && socket && Date.now() - lastTypingSent.current > 2000) {
      lastTypingSent.current = Date.now();
      socket.emit('typing', { conversationId: id });
    }
  }

  function insert(text: string, entryId?: string) {
    setDraft((d) => ({ text: d.text.trim() ? `${d.text.trimEnd()}\n${text}` : text, entryId: entryId ?? d.entryId }));
    setTimeout(() => inputRef.current?.focus(), 0);
  }

  async function send() {
    const text = draft.text.trim();
    if (!text || isSending) return;
    setSending(true);
    try {
      const { message: sent } = await agentApi.send(id, { text, entryId: draft.entryId, private: willBePrivate || undefined, clientMessageId: newClientId() });
      setMessages((current) => mergeMessages(current, [sent]));
      setDraft({ text: '' });
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setSending(false);
    }
  }

  async function takeOver() {
    try {
      setConversation(await agentApi.takeOver(id));
      onChanged();
    } catch (err) {
      message.error(errorMessage(err));
    }
  }

  if (error) {
    return (
      <main className="zx-ws-center">
        <div style={{ padding: 24 }}>
          <ErrorAlert error={error} />
          <Button onClick={onLeave}>{t('common.back')}</Button>
        </div>
      </main>
    );
  }
  if (!conversation) {
    return (
      <main className="zx-ws-center zx-ws-center-empty">
        <Spin />
      </main>
    );
  }

  const c = conversation;
  return (
    <>
      <main className="zx-ws-center" data-testid="ws-open" data-id={c.id} data-status={c.status}>
        <header className="zx-ws-conv-head">
          <div style={{ minWidth: 0 }}>
            <Space size={6} wrap>
              <Typography.Text strong style={{ fontSize: 16 }}>
                {contactName(t, c)}
              </Typography.Text>
              <Tag>{channelLabel(t, c.channel)}</Tag>
              <ConversationStatusTag t={t} conversation={c} />
              {c.skill !== undefined && <Tag color="geekblue">{skillName(c.skill)}</Tag>}
            </Space>
            <div className="zx-ws-conv-sub">
              {c.handoffReason && <span>{t('ws.handoffReason')}{t('common.colon')}{handoffLabel(t, c.handoffReason)}</span>}
              {c.assignee && <span>{t('ws.assignee')}{t('common.colon')}{c.assignee.name}</span>}
              {c.queue && <span>{t('ws.queuePos', { n: c.queue.position })}</span>}
              <span>{t('ws.started', { d: formatDateTime(c.createdAt, lang) })}</span>
            </div>
          </div>
          <Space wrap>
            {c.status === 'queued' && (
              <Button type="primary" icon={<CheckOutlined />} onClick={onAccept} data-testid="ws-accept-open">
                {t('ws.accept')}
              </Button>
            )}
            {isSupervisor && isOpen && !isMine && (
              <Button icon={<UserSwitchOutlined />} onClick={() => void takeOver()} data-testid="ws-take-over">
                {t('ws.takeOver')}
              </Button>
            )}
            {(isMine || (isSupervisor && c.status === 'assigned')) && (
              <Button icon={<SwapOutlined />} onClick={() => setDialog('transfer')} data-testid="ws-transfer">
                {t('ws.transfer')}
              </Button>
            )}
            {isOpen && (isMine || isSupervisor) && (
              <Button danger icon={<CloseCircleOutlined />} onClick={() => setDialog('close')} data-testid="ws-close">
                {t('ws.close')}
              </Button>
            )}
          </Space>
        </header>

        <div className="zx-ws-log" ref={logRef} data-testid="ws-log">
          {messages.map((m) => (
            <MessageItem key={m.seq} m={m} isRead={m.sender === 'agent' && !m.private && m.seq <= customerReadSeq} onEntry={setEntryShown} />
          ))}
          {isCustomerTyping && (
            <div className="zx-ws-msg from-customer" data-testid="ws-typing">
              <div className="zx-ws-bubble">
                <span className="zx-typing">
                  <span />
                  <span />
                  <span />
                </span>
              </div>
            </div>
          )}
        </div>

        {c.status === 'resolved' ? (
          <div className="zx-ws-closed" data-testid="ws-closed">
            <Alert
              type="success"
              showIcon
              title={t('ws.closedTitle')}
              description={
                <div>
                  {c.category && <div>{t('ws.closeCategory')}{t('common.colon')}{c.category}</div>}
                  {c.summary && <div>{t('ws.closeSummary')}{t('common.colon')}{c.summary}</div>}
                  <div data-testid="ws-rating" data-score={c.rating?.score ?? ''}>
                    {t('ws.rating')}{t('common.colon')}
                    {c.rating ? (
                      <>
                        {Array.from({ length: c.rating.score }, (_, i) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: identical stars, one per point of the score
                          <StarFilled key={i} style={{ color: '#fadb14' }} />
                        ))}
                        {c.rating.comment ? ` “${c.rating.comment}”` : ''}
                      </>
                    ) : (
                      t('ws.ratingPending')
                    )}
                  </div>
                </div>
              }
              action={<Button onClick={onLeave}>{t('ws.done')}</Button>}
            />
          </div>
        ) : canWrite ? (
          <div className={`zx-ws-composer${willBePrivate ? ' is-private' : ''}`}>
            {isWhisper && <div className="zx-ws-whisper-hint"><EyeOutlined /> {t('ws.whisperHint')}</div>}
            {draft.entryId && (
              <Tag closable onClose={() => setDraft((d) => ({ ...d, entryId: undefined }))} color="blue" style={{ marginBottom: 6 }} data-testid="ws-draft-entry" data-entry={draft.entryId}>
                {t('ws.fromEntry', { id: draft.entryId })}
              </Tag>
            )}
            <Input.TextArea
              ref={(el) => {
                inputRef.current = el?.resizableTextArea?.textArea ?? null;
              }}
              value={draft.text}
              onChange={(e) => onDraftChange(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  void send();
                }
              }}
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={4000}
              placeholder={willBePrivate ? t('ws.notePlaceholder') : t('ws.replyPlaceholder')}
              variant="borderless"
              data-testid="ws-input"
            />
            <div className="zx-ws-composer-bar">
              <Tooltip title={t('ws.privateHint')}>
                <span className="zx-ws-private-toggle">
                  <Switch size="small" checked={willBePrivate} disabled={isWhisper} onChange={setPrivate} data-testid="ws-private" />
                  <LockOutlined /> {t('ws.privateNote')}
                </span>
              </Tooltip>
              <Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('ws.enterToSend')}
                </Typography.Text>
                <Button type="primary" icon={<SendOutlined />} loading={isSending} disabled={!draft.text.trim()} onClick={() => void send()} data-testid="ws-send">
                  {willBePrivate ? t('ws.addNote') : t('ws.send')}
                </Button>
              </Space>
            </div>
          </div>
        ) : (
          <div className="zx-ws-readonly" data-testid="ws-readonly">
            <EyeOutlined /> {c.status === 'queued' ? t('ws.acceptToReply') : t('ws.readOnly')}
          </div>
        )}
      </main>
      <ContextPanel conversation={c} lastCustomerSeq={lastCustomerSeq} onInsert={canWrite ? insert : undefined} />
      <EntryDrawer id={entryShown} onClose={() => setEntryShown(null)} onInsert={canWrite ? insert : undefined} onPick={setEntryShown} />
      <CloseDialog
        open={dialog === 'close'}
        onCancel={() => setDialog(null)}
        onClosed={(next) => {
          setDialog(null);
          setConversation(next);
          onChanged();
        }}
        conversationId={id}
      />
      <TransferDialog
        open={dialog === 'transfer'}
        onCancel={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          onChanged();
          onLeave();
        }}
        conversationId={id}
        skills={skills}
        currentAssignee={c.assignee?.id}
      />
    </>
  );
}

/** One message, styled by who sent it; internal notes are unmistakably different. */
function MessageItem({ m, isRead, onEntry }: { m: Message; isRead: boolean; onEntry: (id: string) => void }) {
  const { t } = useI18n();
  const time = formatTime(m.createdAt);
  const attrs = { 'data-testid': 'ws-message', 'data-sender': m.sender, 'data-private': m.private ? 'true' : 'false', 'data-seq': m.seq, 'data-entry': m.entryId ?? '' };
  if (m.sender === 'system') {
    return (
      <div className="zx-ws-msg from-system" {...attrs}>
        <span>{m.text}</span>
        <span className="zx-ws-time">{time}</span>
      </div>
    );
  }
  const who = m.sender === 'agent' ? (m.senderName ?? t('ws.sender.agent')) : t(`ws.sender.${m.sender}` as MessageKey);
  const isRich = m.format === 'markdown' && m.sender !== 'customer';
  return (
    <div className={`zx-ws-msg from-${m.sender}${m.private ? ' is-private' : ''}`} {...attrs}>
      <div className="zx-ws-msg-meta">
        {m.sender === 'robot' && <RobotOutlined />}
        {m.private && <LockOutlined />}
        <span>{m.private ? t('ws.privateBy', { name: who }) : who}</span>
        <span className="zx-ws-time">{time}</span>
      </div>
      <div className="zx-ws-bubble">
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: renderPreview (shell/markdown.ts) escapes raw HTML and keeps only safe link schemes */}
        {isRich ? <div className="zx-chat-answer zx-answer" dangerouslySetInnerHTML={{ __html: renderPreview(m.text) }} /> : <span className="zx-ws-plain">{m.text}</span>}
        {m.attachment && (
          <div className="zx-ws-interview" data-testid="ws-attachment" data-kind={m.attachment.kind}>
            <PaperClipOutlined /> {t(`ws.attachment.${m.attachment.kind}` as MessageKey)}
            {m.attachment.url && /^https?:\/\//.test(m.attachment.url) && (
              <>
                {' '}
                <a href={m.attachment.url} target="_blank" rel="noreferrer noopener">
                  {t('ws.attachment.open')}
                </a>
              </>
            )}
          </div>
        )}
        {m.options && m.options.length > 0 && (
          <ol className="zx-ws-options">
            {m.options.map((o) => (
              <li key={o.entryId}>
                <button type="button" className="zx-link" onClick={() => onEntry(o.entryId)}>{o.question}</button>
              </li>
            ))}
          </ol>
        )}
        {m.calculatorOffer && <div className="zx-ws-interview" data-testid="ws-calculator-offer">{t('ws.calculatorOffered', { name: m.calculatorOffer.name })}</div>}
        {m.interview?.status === 'need_input' && m.interview.question && <div className="zx-ws-interview">{t('ws.interviewAsks', { q: m.interview.question.text })}</div>}
        {m.interview?.outputs && (m.interview.status === 'complete' || m.interview.status === 'conditional') && (
          <div className="zx-ws-interview">
            {Object.entries(m.interview.outputs).map(([k, v]) => (
              <span key={k}>
                {k}: <b>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</b>
              </span>
            ))}
          </div>
        )}
      </div>
      <div className="zx-ws-msg-foot">
        {m.entryId && (
          <Tag color={m.sender === 'robot' ? 'purple' : 'blue'} className="zx-ws-entry-tag" onClick={() => onEntry(m.entryId!)} data-testid="ws-message-entry">
            {t('ws.answeredFrom', { id: m.entryId })}
          </Tag>
        )}
        {m.survey && <Tag color="gold">{t('ws.surveyOffered')}</Tag>}
        {isRead && <span className="zx-ws-read" data-testid="ws-read">{t('ws.read')}</span>}
      </div>
    </div>
  );
}
