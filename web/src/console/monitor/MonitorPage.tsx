import { AlertOutlined, SettingOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Col, Empty, Form, InputNumber, List, Modal, Progress, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { MONITOR_EVENTS, type MonitorAlert, type MonitorSnapshot } from '../../../../common/analytics';
import type { AgentStatus, Conversation } from '../../../../common/conversations';
import { errorMessage } from '../../api/client';
import { monitorApi, type MonitorSettings } from '../../api/monitor';
import { formatDateTime, formatTime, useI18n, type MessageKey } from '../../i18n';
import { ErrorAlert } from '../../shell/common';
import { useSession } from '../../shell/session';
import { agentStatusLabel, channelLabel, contactName, ConversationStatusTag, formatDuration, STATUS_COLORS } from '../../workspace/labels';
import { useAgentSocket, useOnConnect, useSocketEvent } from '../../workspace/realtime';
import { LiveConversationDrawer } from './LiveConversationDrawer';

type Timed<T> = T & { receivedAt: number };
/** Whole seconds a server figure has grown since it was received. */
const grown = (seconds: number, receivedAt: number, now: number) => seconds + Math.max(0, Math.floor((now - receivedAt) / 1000));
const isInProgress = (c: Conversation) => (c.status === 'queued' && !c.isLeftMessage) || c.status === 'assigned';

/**
 * The live monitor (实时监控): agents, queues by skill, conversations in progress and alerts. The
 * snapshot is loaded on every (re)connection of the agent socket; pushes keep it current, and waits
 * tick locally between pushes.
 */
export function MonitorPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { me, can } = useSession();
  const { socket, isConnected } = useAgentSocket(me.csrfToken);
  const [error, setError] = useState<unknown>(null);
  const [agents, setAgents] = useState<Timed<{ items: MonitorSnapshot['agents'] }>>({ items: [], receivedAt: Date.now() });
  const [queues, setQueues] = useState<Timed<Pick<MonitorSnapshot, 'queues' | 'leftMessages'>>>({ queues: [], leftMessages: { waiting: 0, longestWaitSeconds: 0 }, receivedAt: Date.now() });
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [alerts, setAlerts] = useState<MonitorAlert[]>([]);
  const [freshAlerts, setFreshAlerts] = useState<Set<string>>(new Set());
  const [openId, setOpenId] = useState<string | null>(null);
  const [isSettingsOpen, setSettingsOpen] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    // waits grow by the second between pushes
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const load = useCallback(async () => {
    try {
      const snapshot = await monitorApi.snapshot();
      const receivedAt = Date.now();
      setAgents({ items: snapshot.agents, receivedAt });
      setQueues({ queues: snapshot.queues, leftMessages: snapshot.leftMessages, receivedAt });
      setConversations(snapshot.conversations);
      setAlerts(snapshot.alerts);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);
  // subscribed first, then the snapshot: nothing between them is lost
  useOnConnect(socket, () => void load());

  useSocketEvent(socket, MONITOR_EVENTS.agents, (p) => setAgents({ items: p.agents, receivedAt: Date.now() }));
  useSocketEvent(socket, MONITOR_EVENTS.queues, (p) => setQueues({ queues: p.queues, leftMessages: p.leftMessages, receivedAt: Date.now() }));
  useSocketEvent(socket, MONITOR_EVENTS.conversation, (c) =>
    setConversations((current) => {
      const rest = current.filter((x) => x.id !== c.id);
      if (!isInProgress(c)) return rest;
      const index = current.findIndex((x) => x.id === c.id);
      return index >= 0 ? current.map((x) => (x.id === c.id ? c : x)) : [...rest, c];
    }),
  );
  useSocketEvent(socket, MONITOR_EVENTS.alert, ({ alert, isOpen }) => {
    setAlerts((current) => (isOpen ? [alert, ...current.filter((a) => a.id !== alert.id)] : current.filter((a) => a.id !== alert.id)));
    if (isOpen) setFreshAlerts((current) => new Set(current).add(alert.id));
  });

  async function acknowledge(alert: MonitorAlert) {
    try {
      await monitorApi.acknowledge(alert.id);
      setAlerts((current) => current.filter((a) => a.id !== alert.id));
    } catch (err) {
      message.error(errorMessage(err));
    }
  }
  function openConversation(id: string, alertId?: string) {
    setOpenId(id);
    if (alertId) setFreshAlerts((current) => new Set([...current].filter((x) => x !== alertId)));
  }

  const skillName = (skill: string | null) => (skill === null ? t('monitor.queue.general') : (queues.queues.find((q) => q.skill === skill)?.name ?? skill));
  const queueAge = (seconds: number) => grown(seconds, queues.receivedAt, now);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="monitor-page">
      <Card
        size="small"
        title={t('monitor.title')}
        extra={
          <Space>
            <Badge status={isConnected ? 'success' : 'error'} text={isConnected ? t('monitor.connected') : t('monitor.disconnected')} data-testid="monitor-connected" data-connected={isConnected ? 'true' : 'false'} />
            {can('conversations.configure') && (
              <Button icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)} data-testid="monitor-settings">
                {t('monitor.settings')}
              </Button>
            )}
          </Space>
        }
      >
        <ErrorAlert error={error} />
        <Typography.Title level={5} style={{ marginTop: 0 }}>{t('monitor.queues')}</Typography.Title>
        <Row gutter={[12, 12]}>
          {queues.queues.map((q) => {
            const longest = q.waiting ? queueAge(q.longestWaitSeconds) : 0;
            return (
              <Col key={q.skill ?? ''} xs={12} md={8} lg={6} xl={4}>
                <Card size="small" data-testid="monitor-queue" data-skill={q.skill ?? ''} data-waiting={q.waiting} style={{ borderColor: q.waiting ? '#fa8c16' : undefined }}>
                  <Typography.Text strong>{q.skill === null ? t('monitor.queue.general') : q.name}</Typography.Text>
                  <Statistic title={t('monitor.queue.waiting')} value={q.waiting} valueStyle={{ color: q.waiting ? '#fa541c' : undefined }} />
                  <Typography.Text type="secondary">
                    {t('monitor.queue.longest')}{t('common.colon')}{q.waiting ? formatDuration(t, longest) : '—'}
                  </Typography.Text>
                </Card>
              </Col>
            );
          })}
          <Col xs={12} md={8} lg={6} xl={4}>
            <Card size="small" data-testid="monitor-left-messages" data-waiting={queues.leftMessages.waiting}>
              <Typography.Text strong>{t('monitor.leftMessages')}</Typography.Text>
              <Statistic title={t('monitor.queue.waiting')} value={queues.leftMessages.waiting} />
              <Typography.Text type="secondary">
                {t('monitor.queue.longest')}{t('common.colon')}{queues.leftMessages.waiting ? formatDuration(t, queueAge(queues.leftMessages.longestWaitSeconds)) : '—'}
              </Typography.Text>
            </Card>
          </Col>
        </Row>
      </Card>

      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('monitor.agents')}>
            {agents.items.length === 0 ? (
              <Empty description={t('monitor.agents.empty')} />
            ) : (
              <Row gutter={[8, 8]}>
                {agents.items.map((a) => {
                  const silent = a.silentSeconds === null ? null : grown(a.silentSeconds, agents.receivedAt, now);
                  const color = STATUS_COLORS[a.status as AgentStatus] ?? '#d9d9d9';
                  return (
                    <Col key={a.userId} xs={12} md={8} xxl={6}>
                      <Card size="small" data-testid="monitor-agent" data-status={a.status} data-load={a.load} style={{ borderLeft: `4px solid ${color}` }}>
                        <Space direction="vertical" size={2} style={{ width: '100%' }}>
                          <Space>
                            <Badge color={color} />
                            <Typography.Text strong>{a.name}</Typography.Text>
                            <Tag>{agentStatusLabel(t, a.status as AgentStatus)}</Tag>
                          </Space>
                          <Progress percent={a.maxChats ? Math.round((a.load / a.maxChats) * 100) : 0} size="small" format={() => t('monitor.agent.load', { load: a.load, max: a.maxChats })} status={a.maxChats && a.load >= a.maxChats ? 'exception' : 'normal'} />
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {a.skills.length ? a.skills.map(skillName).join('、') : t('monitor.agent.noSkills')}
                          </Typography.Text>
                          {silent !== null && (
                            <Typography.Text type={silent >= 180 ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                              {t('monitor.agent.silent', { time: formatDuration(t, silent) })}
                            </Typography.Text>
                          )}
                        </Space>
                      </Card>
                    </Col>
                  );
                })}
              </Row>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={<Space><AlertOutlined />{t('monitor.alerts')}<Badge count={alerts.length} /></Space>}>
            <List
              dataSource={alerts}
              locale={{ emptyText: t('monitor.alerts.empty') }}
              style={{ maxHeight: 420, overflowY: 'auto' }}
              renderItem={(a) => {
                const isFresh = freshAlerts.has(a.id);
                return (
                  <List.Item
                    data-testid="monitor-alert"
                    data-kind={a.kind}
                    data-fresh={isFresh ? 'true' : 'false'}
                    style={{ background: isFresh ? '#fff1f0' : undefined, paddingInline: 8, transition: 'background 0.5s' }}
                    actions={[
                      <Button key="open" size="small" type="link" onClick={() => openConversation(a.conversationId, a.id)}>{t('monitor.alert.open')}</Button>,
                      <Button key="ack" size="small" onClick={() => acknowledge(a)} data-testid="monitor-alert-ack">{t('monitor.alert.ack')}</Button>,
                    ]}
                  >
                    <List.Item.Meta
                      title={<Space>{isFresh && <Tag color="red">{t('monitor.alert.new')}</Tag>}<Typography.Text strong>{t(`monitor.alert.${a.kind}` as MessageKey)}</Typography.Text></Space>}
                      description={<><div>{a.detail}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(a.at)}</Typography.Text></>}
                    />
                  </List.Item>
                );
              }}
            />
          </Card>
        </Col>
      </Row>

      <Card size="small" title={`${t('monitor.conversations')} (${conversations.length})`}>
        <Table<Conversation>
          rowKey="id"
          size="small"
          dataSource={conversations}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(c) => ({ onClick: () => openConversation(c.id), style: { cursor: 'pointer' }, 'data-testid': 'monitor-conversation', 'data-id': c.id, 'data-status': c.status }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('monitor.col.contact'), render: (_, c) => contactName(t, c) },
            { title: t('monitor.col.channel'), render: (_, c) => channelLabel(t, c.channel) },
            { title: t('monitor.col.status'), render: (_, c) => <ConversationStatusTag t={t} conversation={c} /> },
            { title: t('monitor.col.skill'), render: (_, c) => skillName(c.skill) },
            { title: t('monitor.col.agent'), render: (_, c) => c.assignee?.name ?? '—' },
            {
              title: t('monitor.col.since'),
              render: (_, c) => (c.queuedAt ? <Tooltip title={formatDateTime(c.queuedAt, lang)}>{formatDuration(t, (now - Date.parse(c.queuedAt)) / 1000)}</Tooltip> : '—'),
            },
            { title: t('monitor.col.last'), render: (_, c) => formatTime(c.lastMessageAt) },
          ]}
        />
      </Card>

      <LiveConversationDrawer socket={socket} conversationId={openId} onClose={() => setOpenId(null)} />
      {isSettingsOpen && <SettingsModal onClose={() => setSettingsOpen(false)} />}
    </Space>
  );
}

/** The alert thresholds (seconds). */
function SettingsModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<MonitorSettings>();
  const [isSaving, setSaving] = useState(false);
  useEffect(() => {
    monitorApi.settings().then((s) => form.setFieldsValue(s)).catch((err) => message.error(errorMessage(err)));
  }, [form, message]);
  async function save() {
    const values = await form.validateFields();
    setSaving(true);
    try {
      await monitorApi.saveSettings(values);
      message.success(t('monitor.settings.saved'));
      onClose();
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal open title={t('monitor.settings')} onCancel={onClose} onOk={save} confirmLoading={isSaving}>
      <Form form={form} layout="vertical">
        <Form.Item name="longWaitSeconds" label={t('monitor.settings.longWait')} rules={[{ required: true }]}>
          <InputNumber min={1} max={86400} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="agentSilentSeconds" label={t('monitor.settings.agentSilent')} rules={[{ required: true }]}>
          <InputNumber min={1} max={86400} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
