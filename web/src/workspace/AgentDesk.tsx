import { ClockCircleOutlined, CustomerServiceOutlined, WifiOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, InputNumber, Segmented, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { REALTIME, type AgentStatus, type Conversation } from '../../../common/conversations';
import { errorMessage } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../shell/session';
import { agentApi, supervisionApi, type AgentState, type Skill } from './api';
import { CallbackTickets } from './CallbackTickets';
import { ContextPanel } from './ContextPanel';
import { MyQuality } from './MyQuality';
import { ConversationPane } from './ConversationPane';
import { agentStatusLabel, channelLabel, contactName, ConversationStatusTag, formatDuration, handoffLabel, STATUS_COLORS } from './labels';
import { chime, useTitleBadge } from './notify';
import { useAgentSocket, useOnConnect, useSocketEvent } from './realtime';

type ListTab = 'mine' | 'queue' | 'left' | 'all' | 'callbacks' | 'quality';
const SETTABLE: AgentStatus[] = ['online', 'busy', 'away', 'offline'];

/** Seconds since an ISO instant, refreshed by the caller's clock tick. */
const since = (iso: string, now: number) => (now - new Date(iso).getTime()) / 1000;

/** Calls `fn` at most once per `ms`, trailing call included (bursts of queue events → one reload). */
function useThrottled(fn: () => void, ms: number) {
  const ref = useRef(fn);
  ref.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      ref.current();
    }, ms);
  }, [ms]);
}

/**
 * The agent's desk: status and lists on the left (my conversations, the queue, left messages and,
 * for supervisors, every open conversation), the open conversation in the centre, and the context
 * panel (history, robot suggestions, knowledge, canned replies) on the right. One Socket.IO
 * connection keeps all of it live.
 */
export function AgentDesk() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { me, can } = useSession();
  const isSupervisor = can('conversations.supervise');
  const { socket, isConnected } = useAgentSocket(me.csrfToken);

  const [state, setState] = useState<AgentState | null>(null);
  const [mine, setMine] = useState<Conversation[]>([]);
  const [queue, setQueue] = useState<{ items: Conversation[]; leftMessages: Conversation[] }>({ items: [], leftMessages: [] });
  const [all, setAll] = useState<Conversation[]>([]);
  const [skills, setSkills] = useState<Skill[]>([]);
  const [tab, setTab] = useState<ListTab>('mine');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selectedRef = useRef(selectedId);
  selectedRef.current = selectedId;
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);

  const loadMine = useCallback(async () => {
    try {
      const { items } = await agentApi.mine();
      setMine(items.map((c) => (c.id === selectedRef.current ? { ...c, unread: 0 } : c)));
    } catch (err) {
      message.error(errorMessage(err));
    }
  }, [message]);
  const loadQueue = useCallback(async () => {
    try {
      setQueue(await agentApi.queue());
    } catch {
      /* shown as an empty queue; the next event retries */
    }
  }, []);
  const loadAll = useCallback(async () => {
    if (!isSupervisor) return;
    try {
      setAll((await agentApi.allOpen()).items);
    } catch {
      /* the next event retries */
    }
  }, [isSupervisor]);
  const reloadQueue = useThrottled(loadQueue, 300);
  const reloadAll = useThrottled(loadAll, 1000);

  useEffect(() => {
    agentApi.status().then(setState, () => undefined);
    supervisionApi.skills().then((r) => setSkills(r.items), () => undefined);
  }, []);
  // on every (re)connection: what happened while we were away
  useOnConnect(socket, () => {
    void loadMine();
    void loadQueue();
    void loadAll();
  });
  // the wait times in the queue are only as fresh as the last fetch: refetch now and then
  useEffect(() => {
    const timer = setInterval(() => {
      void loadQueue();
      void loadAll();
    }, 30_000);
    return () => clearInterval(timer);
  }, [loadQueue, loadAll]);

  const mineRef = useRef(mine);
  mineRef.current = mine;
  useSocketEvent(socket, REALTIME.message, (m) => {
    if (m.sender !== 'customer') return;
    const isSelected = m.conversationId === selectedRef.current;
    if (isSelected && document.visibilityState === 'visible') return;
    const isMine = mineRef.current.some((c) => c.id === m.conversationId);
    if (isMine && !isSelected) {
      setMine((list) => list.map((c) => (c.id === m.conversationId ? { ...c, unread: (c.unread ?? 0) + 1, lastSeq: Math.max(c.lastSeq, m.seq), lastMessageAt: m.createdAt } : c)));
    }
    if (isMine || isSelected) chime();
  });
  useSocketEvent(socket, REALTIME.conversation, (c) => {
    const isMine = c.assignee?.id === me.id && c.status !== 'resolved';
    const had = mineRef.current.some((x) => x.id === c.id);
    // a conversation given to me by automatic assignment or a transfer
    if (isMine && !had && c.id !== selectedRef.current) chime();
    setMine((list) => {
      const present = list.some((x) => x.id === c.id);
      if (!isMine) return present ? list.filter((x) => x.id !== c.id) : list;
      const next = { ...c, unread: c.id === selectedRef.current ? 0 : c.unread };
      return present ? list.map((x) => (x.id === c.id ? next : x)) : [next, ...list];
    });
    reloadAll();
  });
  useSocketEvent(socket, REALTIME.queue, () => {
    reloadQueue();
    reloadAll();
  });

  const unreadElsewhere = mine.filter((c) => c.id !== selectedId).reduce((n, c) => n + (c.unread ?? 0), 0);
  useTitleBadge(unreadElsewhere, t('ws.titleNew'));

  async function changeStatus(status: AgentStatus, maxChats?: number) {
    try {
      setState(await agentApi.setStatus(status, maxChats));
    } catch (err) {
      message.error(errorMessage(err));
    }
  }

  function open(id: string) {
    setSelectedId(id);
    setMine((list) => list.map((c) => (c.id === id ? { ...c, unread: 0 } : c)));
  }

  async function accept(id: string) {
    try {
      await agentApi.accept(id);
      await Promise.all([loadMine(), loadQueue()]);
      setTab('mine');
      open(id);
    } catch (err) {
      message.error(errorMessage(err));
      void loadQueue();
    }
  }

  const skillName = useMemo(() => {
    const names = new Map(skills.map((s) => [s.id, s.name]));
    return (id: string | null) => (id ? (names.get(id) ?? id) : t('ws.generalQueue'));
  }, [skills, t]);

  const mineUnread = mine.reduce((n, c) => n + (c.unread ?? 0), 0);
  const tabs = [
    {
      key: 'mine',
      label: (
        <span data-testid="ws-tab-mine">
          {t('ws.tab.mine')} <Badge count={mineUnread} size="small" offset={[2, -2]} />
        </span>
      ),
      children: (
        <ConversationList empty={t('ws.noMine')}>
          {mine.map((c) => (
            // biome-ignore lint/a11y/useSemanticElements: a row of two block lines (name, then tags and time), which a <button> may not contain; role, tabIndex and Enter/Space make it one
            <div
              key={c.id}
              className={`zx-ws-item${c.id === selectedId ? ' is-active' : ''}`}
              role="button"
              tabIndex={0}
              onClick={() => open(c.id)}
              onKeyDown={onActivateKey(() => open(c.id))}
              data-testid="ws-conversation"
              data-id={c.id}
              data-unread={c.id === selectedId ? 0 : (c.unread ?? 0)}
            >
              <div className="zx-ws-item-head">
                <Typography.Text strong ellipsis>
                  {contactName(t, c)}
                </Typography.Text>
                <Badge count={c.id === selectedId ? 0 : c.unread} size="small" />
              </div>
              <div className="zx-ws-item-meta">
                <Tag>{channelLabel(t, c.channel)}</Tag>
                {c.isLeftMessage && <Tag color="magenta">{t('ws.leftMessage')}</Tag>}
                <span>{skillName(c.skill)}</span>
                <span className="zx-ws-item-time">{formatDuration(t, since(c.lastMessageAt, now))}</span>
              </div>
            </div>
          ))}
        </ConversationList>
      ),
    },
    {
      key: 'queue',
      label: (
        <span data-testid="ws-tab-queue">
          {t('ws.tab.queue')} <Badge count={queue.items.length} size="small" color="#fa8c16" offset={[2, -2]} />
        </span>
      ),
      children: <QueueList items={queue.items} now={now} selectedId={selectedId} onOpen={open} onAccept={accept} skillName={skillName} empty={t('ws.noQueue')} />,
    },
    {
      key: 'left',
      label: (
        <span data-testid="ws-tab-left">
          {t('ws.tab.left')} <Badge count={queue.leftMessages.length} size="small" color="#eb2f96" offset={[2, -2]} />
        </span>
      ),
      children: <QueueList items={queue.leftMessages} now={now} selectedId={selectedId} onOpen={open} onAccept={accept} skillName={skillName} empty={t('ws.noLeft')} />,
    },
    ...(isSupervisor
      ? [
          {
            key: 'all',
            label: (
              <span data-testid="ws-tab-all">
                {t('ws.tab.all')}
              </span>
            ),
            children: (
              <ConversationList empty={t('ws.noOpen')}>
                {all.map((c) => (
                  // biome-ignore lint/a11y/useSemanticElements: a row of two block lines (name, then tags and time), which a <button> may not contain; role, tabIndex and Enter/Space make it one
                  <div key={c.id} className={`zx-ws-item${c.id === selectedId ? ' is-active' : ''}`} role="button" tabIndex={0} onClick={() => open(c.id)} onKeyDown={onActivateKey(() => open(c.id))} data-testid="ws-all-item" data-id={c.id}>
                    <div className="zx-ws-item-head">
                      <Typography.Text strong ellipsis>
                        {contactName(t, c)}
                      </Typography.Text>
                      <ConversationStatusTag t={t} conversation={c} />
                    </div>
                    <div className="zx-ws-item-meta">
                      <Tag>{channelLabel(t, c.channel)}</Tag>
                      <span>{c.assignee ? c.assignee.name : skillName(c.skill)}</span>
                      <span className="zx-ws-item-time">{formatDuration(t, since(c.lastMessageAt, now))}</span>
                    </div>
                  </div>
                ))}
              </ConversationList>
            ),
          },
        ]
      : []),
    { key: 'callbacks', label: <span data-testid="ws-tab-callbacks">{t('ws.tab.callbacks')}</span>, children: <CallbackTickets /> },
    ...(can('quality.appeal') ? [{ key: 'quality', label: <span data-testid="ws-tab-quality">{t('quality.my.tab')}</span>, children: <MyQuality /> }] : []),
  ];

  return (
    <div className="zx-ws" data-testid="workspace">
      <aside className="zx-ws-left">
        <div className="zx-ws-status" data-testid="ws-status" data-status={state?.status ?? 'offline'}>
          <div className="zx-ws-status-row">
            <Typography.Text strong>
              <CustomerServiceOutlined /> {me.username}
            </Typography.Text>
            <Tooltip title={isConnected ? t('ws.connected') : t('ws.disconnected')}>
              <WifiOutlined style={{ color: isConnected ? '#52c41a' : '#ff4d4f' }} data-testid="ws-connection" data-connected={isConnected} />
            </Tooltip>
          </div>
          <Segmented<AgentStatus>
            block
            size="small"
            value={state?.status ?? 'offline'}
            onChange={(s) => void changeStatus(s, state?.maxChats)}
            options={SETTABLE.map((s) => ({
              value: s,
              label: (
                <span data-testid={`ws-status-${s}`}>
                  <span className="zx-ws-dot" style={{ background: STATUS_COLORS[s] }} />
                  {agentStatusLabel(t, s)}
                </span>
              ),
            }))}
          />
          <div className="zx-ws-status-row" style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">
              {state?.status === 'offline' || !state ? t('ws.offlineHint') : t('ws.load', { n: mine.length })}
            </Typography.Text>
            <span>
              <Typography.Text type="secondary">{t('ws.maxChats')} </Typography.Text>
              <InputNumber
                size="small"
                min={1}
                max={20}
                value={state?.maxChats}
                style={{ width: 56 }}
                onChange={(v) => typeof v === 'number' && state && void changeStatus(state.status, v)}
                data-testid="ws-max-chats"
              />
            </span>
          </div>
        </div>
        <Tabs className="zx-ws-tabs" size="small" activeKey={tab} onChange={(k) => setTab(k as ListTab)} items={tabs} />
      </aside>
      {selectedId ? (
        <ConversationPane
          key={selectedId}
          id={selectedId}
          socket={socket}
          isSupervisor={isSupervisor}
          skills={skills}
          skillName={skillName}
          onAccept={() => void accept(selectedId)}
          onChanged={() => {
            void loadMine();
            void loadQueue();
            void loadAll();
          }}
          onLeave={() => setSelectedId(null)}
        />
      ) : (
        <>
          <main className="zx-ws-center zx-ws-center-empty">
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={mine.length || queue.items.length ? t('ws.pickConversation') : t('ws.idle')} />
          </main>
          <ContextPanel />
        </>
      )}
    </div>
  );
}

/** Enter or Space on a focused conversation row opens it, as a click does (keys pressed on a button inside the row are left to that button). */
function onActivateKey(activate: () => void) {
  return (e: React.KeyboardEvent<HTMLElement>) => {
    if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    activate();
  };
}

function ConversationList({ children, empty }: { children: React.ReactNode[]; empty: string }) {
  return <div className="zx-ws-list">{children.length ? children : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />}</div>;
}

function QueueList({
  items,
  now,
  selectedId,
  onOpen,
  onAccept,
  skillName,
  empty,
}: {
  items: Conversation[];
  now: number;
  selectedId: string | null;
  onOpen: (id: string) => void;
  onAccept: (id: string) => void;
  skillName: (id: string | null) => string;
  empty: string;
}) {
  const { t } = useI18n();
  return (
    <ConversationList empty={empty}>
      {items.map((c) => (
        // biome-ignore lint/a11y/useSemanticElements: a row of two block lines (name, then tags and time), which a <button> may not contain; role, tabIndex and Enter/Space make it one; this row also holds its own Accept button
        <div key={c.id} className={`zx-ws-item${c.id === selectedId ? ' is-active' : ''}`} role="button" tabIndex={0} onClick={() => onOpen(c.id)} onKeyDown={onActivateKey(() => onOpen(c.id))} data-testid="ws-queue-item" data-id={c.id} data-channel={c.channel}>
          <div className="zx-ws-item-head">
            <Typography.Text strong ellipsis>
              {c.queue ? <span className="zx-ws-pos">{c.queue.position}</span> : null}
              {contactName(t, c)}
            </Typography.Text>
            <Button
              size="small"
              type="primary"
              onClick={(e) => {
                e.stopPropagation();
                onAccept(c.id);
              }}
              data-testid="ws-accept"
            >
              {t('ws.accept')}
            </Button>
          </div>
          <div className="zx-ws-item-meta">
            <Tag>{channelLabel(t, c.channel)}</Tag>
            <span>{skillName(c.skill)}</span>
            {c.handoffReason && <span>· {handoffLabel(t, c.handoffReason)}</span>}
          </div>
          <div className="zx-ws-item-meta">
            <ClockCircleOutlined />
            <span data-testid="ws-queue-wait">{t('ws.waited', { d: formatDuration(t, since(waitingSince(c), now)) })}</span>
          </div>
        </div>
      ))}
    </ConversationList>
  );
}

/** When the conversation started waiting. */
const waitingSince = (c: Conversation) => c.queuedAt ?? c.lastMessageAt;
