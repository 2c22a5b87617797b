import { BookOutlined, CalculatorOutlined, DeleteOutlined, EnterOutlined, HistoryOutlined, IdcardOutlined, PlusOutlined, RobotOutlined, SafetyCertificateOutlined, SnippetsOutlined, StarFilled } from '@ant-design/icons';
import { App, Button, Checkbox, Collapse, Empty, Form, Input, Popconfirm, Space, Spin, Tabs, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import type { Conversation, Message } from '../../../common/conversations';
import { errorMessage } from '../api/client';
import { formatDateTime, useI18n, type MessageKey } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';
import { useSession } from '../shell/session';
import { agentApi, type CannedReply, type ContactHistory } from './api';
import { KnowledgeTab, useInsertEntry, type InsertAnswer } from './KnowledgeTab';
import { RecordsTab } from './RecordsTab';
import { channelLabel, ConversationStatusTag, handoffLabel } from './labels';

type PanelTab = 'history' | 'records' | 'suggestions' | 'knowledge' | 'canned';

/**
 * The right-hand panel: what the contact did before (every channel), the citizen's social insurance
 * record, what the robot would answer, the knowledge base and canned replies. Without an open
 * conversation only knowledge is shown.
 */
export function ContextPanel({ conversation, lastCustomerSeq = 0, onInsert }: { conversation?: Conversation; lastCustomerSeq?: number; onInsert?: InsertAnswer }) {
  const { t } = useI18n();
  const { can } = useSession();
  const [tab, setTab] = useState<PanelTab>(conversation ? 'history' : 'knowledge');
  const items = [
    ...(conversation
      ? [
          { key: 'history', label: <span data-testid="ws-tab-history"><HistoryOutlined /> {t('ws.history')}</span>, children: <div className="zx-ws-pane"><HistoryTab conversation={conversation} /></div> },
          // rendered only once opened (the tabs mount panes lazily): each look-up is audited
          ...(can('records.serve')
            ? [{ key: 'records', label: <span data-testid="ws-tab-records"><IdcardOutlined /> {t('rec.tab')}</span>, children: <div className="zx-ws-pane"><RecordsTab conversation={conversation} /></div> }]
            : []),
          {
            key: 'suggestions',
            label: <span data-testid="ws-tab-suggestions"><RobotOutlined /> {t('ws.suggestions')}</span>,
            children: <div className="zx-ws-pane"><SuggestionsTab conversationId={conversation.id} lastCustomerSeq={lastCustomerSeq} onInsert={onInsert} /></div>,
          },
        ]
      : []),
    { key: 'knowledge', label: <span data-testid="ws-tab-knowledge"><BookOutlined /> {t('ws.knowledge')}</span>, children: <div className="zx-ws-pane"><KnowledgeTab onInsert={onInsert} /></div> },
    ...(conversation ? [{ key: 'canned', label: <span data-testid="ws-tab-canned"><SnippetsOutlined /> {t('ws.canned')}</span>, children: <div className="zx-ws-pane"><CannedTab onInsert={onInsert} /></div> }] : []),
  ];
  return (
    <aside className="zx-ws-right">
      <Tabs size="small" tabBarGutter={12} activeKey={items.some((i) => i.key === tab) ? tab : 'knowledge'} onChange={(k) => setTab(k as PanelTab)} items={items} className="zx-ws-tabs" />
    </aside>
  );
}

function HistoryTab({ conversation }: { conversation: Conversation }) {
  const { t, lang } = useI18n();
  // reloaded when the conversation changes state (closed, rated, transferred)
  const { data, error, isLoading, reload } = useLoad(() => agentApi.history(conversation.id), [conversation.id, conversation.status, conversation.rating?.score]);
  if (isLoading && !data) return <Spin style={{ display: 'block', margin: 24 }} />;
  if (error || !data) return <ErrorAlert error={error} />;
  const earlier = data.conversations.filter((c) => c.conversation.id !== conversation.id);
  const current = data.conversations.find((c) => c.conversation.id === conversation.id);
  return (
    <div className="zx-ws-history" data-testid="ws-history" data-count={data.conversations.length}>
      <div className="zx-ws-contact">
        <Typography.Text strong>{data.contact.name || t('ws.anonymousContact')}</Typography.Text>
        {data.contact.isVerified && (
          <Tag color="green" icon={<SafetyCertificateOutlined />}>
            {t('ws.verified')}
          </Tag>
        )}
        <div style={{ marginTop: 4 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('ws.channels')}{t('common.colon')}
          </Typography.Text>
          {data.contact.channels.map((c) => (
            <Tag key={c}>{channelLabel(t, c)}</Tag>
          ))}
        </div>
        <ContactPhone conversation={conversation} phone={data.contact.phone} onSaved={reload} />
      </div>
      {current && <Calculations calculations={current.calculations} title={t('ws.calcThisTime')} />}
      <Typography.Title level={5} style={{ margin: '12px 0 6px' }}>
        {t('ws.earlier', { n: earlier.length })}
      </Typography.Title>
      {!earlier.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ws.noEarlier')} />
      ) : (
        <Collapse
          size="small"
          items={earlier.map((item) => ({
            key: item.conversation.id,
            label: <HistoryHead item={item} />,
            children: <HistoryBody item={item} lang={lang} />,
          }))}
        />
      )}
    </div>
  );
}

/**
 * The contact's phone number, masked, and (for the agent serving them) a way to record it: calls
 * from that number are then joined to this person.
 */
function ContactPhone({ conversation, phone, onSaved }: { conversation: Conversation; phone: string | null; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await agentApi.recordContactPhone(conversation.id, value);
      message.success(t('ws.phoneSaved'));
      setEditing(false);
      setValue('');
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <div style={{ marginTop: 4 }} data-testid="ws-contact-phone">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('ws.phone')}{t('common.colon')}
      </Typography.Text>
      <Typography.Text data-testid="ws-contact-phone-value">{phone ?? t('ws.phoneNone')}</Typography.Text>
      {conversation.status === 'assigned' && !editing && (
        <Button size="small" type="link" onClick={() => setEditing(true)} data-testid="ws-contact-phone-edit">
          {t('ws.phoneRecord')}
        </Button>
      )}
      {editing && (
        <div style={{ marginTop: 6 }}>
          <Space.Compact style={{ width: '100%' }}>
            <Input size="small" value={value} onChange={(e) => setValue(e.target.value)} onPressEnter={save} placeholder="13800138000" data-testid="ws-contact-phone-input" />
            <Button size="small" type="primary" loading={saving} onClick={save} data-testid="ws-contact-phone-save">
              {t('common.save')}
            </Button>
          </Space.Compact>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }}>
            {t('ws.phoneHint')}
          </Typography.Paragraph>
          <ErrorAlert error={error} />
        </div>
      )}
    </div>
  );
}

type HistoryItem = ContactHistory['conversations'][number];

function HistoryHead({ item }: { item: HistoryItem }) {
  const { t, lang } = useI18n();
  const c = item.conversation;
  const robotAnswers = item.messages.filter((m) => m.sender === 'robot' && m.entryId).length;
  return (
    <div className="zx-ws-history-head" data-testid="ws-history-item" data-id={c.id} data-channel={c.channel}>
      <div>
        <Typography.Text strong style={{ fontSize: 13 }}>
          {formatDateTime(c.createdAt, lang)}
        </Typography.Text>{' '}
        <Tag>{channelLabel(t, c.channel)}</Tag>
        <ConversationStatusTag t={t} conversation={c} />
        {c.isLeftMessage && c.status !== 'queued' && <Tag color="magenta">{t('ws.leftMessage')}</Tag>}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {c.summary || firstCustomerText(item.messages) || t('ws.noMessages')}
      </Typography.Text>
      <div className="zx-ws-history-stats">
        {robotAnswers > 0 && <span><RobotOutlined /> {t('ws.robotAnswers', { n: robotAnswers })}</span>}
        {item.calculations.length > 0 && <span><CalculatorOutlined /> {t('ws.calculations', { n: item.calculations.length })}</span>}
        {c.assignee && <span>{c.assignee.name}</span>}
        {c.rating && (
          <span data-testid="ws-history-rating">
            <StarFilled style={{ color: '#fadb14' }} /> {c.rating.score}
          </span>
        )}
      </div>
    </div>
  );
}

const firstCustomerText = (messages: Message[]) => messages.find((m) => m.sender === 'customer')?.text;

function HistoryBody({ item, lang }: { item: HistoryItem; lang: 'zh' | 'en' }) {
  const { t } = useI18n();
  const c = item.conversation;
  return (
    <div className="zx-ws-history-body">
      {(c.category || c.handoffReason || c.rating) && (
        <div style={{ marginBottom: 8, fontSize: 12 }}>
          {c.handoffReason && <div>{t('ws.handoffReason')}{t('common.colon')}{handoffLabel(t, c.handoffReason)}</div>}
          {c.category && <div>{t('ws.closeCategory')}{t('common.colon')}{c.category}</div>}
          {c.rating && (
            <div>
              {t('ws.rating')}{t('common.colon')}{'★'.repeat(c.rating.score)}
              {c.rating.comment ? ` “${c.rating.comment}”` : ''}
            </div>
          )}
        </div>
      )}
      <Calculations calculations={item.calculations} title={t('ws.calcUsed')} />
      <div className="zx-ws-transcript">
        {item.messages.map((m) => (
          <div key={m.seq} className={`zx-ws-line from-${m.sender}${m.private ? ' is-private' : ''}`}>
            <span className="zx-ws-line-who">{m.sender === 'agent' ? (m.senderName ?? t('ws.sender.agent')) : t(`ws.sender.${m.sender}` as MessageKey)}</span>
            <span className="zx-ws-line-text">{m.text}</span>
            {m.entryId && <Tag style={{ marginInlineStart: 4 }}>{m.entryId}</Tag>}
          </div>
        ))}
      </div>
      {item.events.length > 0 && (
        <Timeline
          style={{ marginTop: 12 }}
          items={item.events.map((e) => ({
            content: (
              <span style={{ fontSize: 12 }}>
                {t(`ws.event.${e.type}` as MessageKey) === `ws.event.${e.type}` ? e.type : t(`ws.event.${e.type}` as MessageKey)} · {formatDateTime(e.at, lang)}
              </span>
            ),
          }))}
        />
      )}
    </div>
  );
}

function Calculations({ calculations, title }: { calculations: HistoryItem['calculations']; title: string }) {
  const { lang } = useI18n();
  if (!calculations.length) return null;
  return (
    <div className="zx-ws-calcs" data-testid="ws-calculations">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <CalculatorOutlined /> {title}
      </Typography.Text>
      {calculations.map((c) => (
        <div key={c.seq} className="zx-ws-calc">
          <Typography.Text strong style={{ fontSize: 13 }}>
            {c.rulesetId}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
            {formatDateTime(c.at, lang)}
          </Typography.Text>
          <div className="zx-ws-calc-outputs">
            {Object.entries(c.outputs).map(([k, v]) => (
              <span key={k}>
                {k}: <b>{formatOutput(v)}</b>
              </span>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

const formatOutput = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function SuggestionsTab({ conversationId, lastCustomerSeq, onInsert }: { conversationId: string; lastCustomerSeq: number; onInsert?: InsertAnswer }) {
  const { t } = useI18n();
  const { data, error, isLoading } = useLoad(() => agentApi.suggestions(conversationId), [conversationId, lastCustomerSeq]);
  const { insert, busyId } = useInsertEntry(onInsert);
  if (isLoading && !data) return <Spin style={{ display: 'block', margin: 24 }} />;
  if (error || !data) return <ErrorAlert error={error} />;
  return (
    <div data-testid="ws-suggestions">
      {data.question && (
        <div className="zx-ws-question">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('ws.forQuestion')}
          </Typography.Text>
          <div>“{data.question}”</div>
        </div>
      )}
      {!data.items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ws.noSuggestions')} />
      ) : (
        data.items.map((s) => (
          <div key={s.entryId} className="zx-ws-hit" data-testid="ws-suggestion" data-entry={s.entryId}>
            <div className="zx-ws-hit-q">{s.question}</div>
            {s.answer && (
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }} style={{ margin: '2px 0', fontSize: 12 }}>
                {s.answer}
              </Typography.Paragraph>
            )}
            <div className="zx-ws-hit-actions">
              <span>
                <Tag>{s.entryId}</Tag>
                {typeof s.score === 'number' && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('ws.score', { n: Math.round(s.score * 100) })}</Typography.Text>}
              </span>
              {onInsert && (
                <Button
                  size="small"
                  icon={<EnterOutlined />}
                  loading={busyId === s.entryId}
                  onClick={() => (s.answer ? onInsert(s.answer, s.entryId) : void insert(s.entryId))}
                  data-testid="ws-suggestion-insert"
                  data-entry={s.entryId}
                >
                  {t('ws.insert')}
                </Button>
              )}
            </div>
          </div>
        ))
      )}
    </div>
  );
}

function CannedTab({ onInsert }: { onInsert?: InsertAnswer }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { me, can } = useSession();
  const canShare = can('conversations.configure');
  const { data, error, reload } = useLoad(() => agentApi.cannedReplies(), []);
  const [filter, setFilter] = useState('');
  const [isAdding, setAdding] = useState(false);
  const [form] = Form.useForm<{ title: string; text: string; shared?: boolean }>();
  const items = (data?.items ?? []).filter((c) => !filter || c.title.includes(filter) || c.text.includes(filter));

  async function add(v: { title: string; text: string; shared?: boolean }) {
    try {
      await agentApi.addCannedReply({ title: v.title.trim(), text: v.text.trim(), shared: Boolean(v.shared) });
      form.resetFields();
      setAdding(false);
      reload();
    } catch (err) {
      message.error(errorMessage(err));
    }
  }
  async function remove(item: CannedReply) {
    try {
      await agentApi.deleteCannedReply(item.id);
      reload();
    } catch (err) {
      message.error(errorMessage(err));
    }
  }

  return (
    <div data-testid="ws-canned">
      <ErrorAlert error={error} />
      <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
        <Input allowClear placeholder={t('ws.cannedFilter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <Button icon={<PlusOutlined />} onClick={() => setAdding((v) => !v)} data-testid="ws-canned-add">
          {t('common.create')}
        </Button>
      </Space.Compact>
      {isAdding && (
        <Form form={form} layout="vertical" size="small" onFinish={add} className="zx-ws-canned-form">
          <Form.Item name="title" label={t('ws.cannedTitle')} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input maxLength={50} data-testid="ws-canned-title" />
          </Form.Item>
          <Form.Item name="text" label={t('ws.cannedText')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={4000} data-testid="ws-canned-text" />
          </Form.Item>
          {canShare && (
            <Form.Item name="shared" valuePropName="checked">
              <Checkbox>{t('ws.cannedShared')}</Checkbox>
            </Form.Item>
          )}
          <Space>
            <Button type="primary" htmlType="submit" data-testid="ws-canned-save">
              {t('common.save')}
            </Button>
            <Button onClick={() => setAdding(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      )}
      {!items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ws.noCanned')} />
      ) : (
        items.map((c) => {
          const canDelete = c.ownerId === null ? canShare : c.ownerId === me.id;
          return (
            <div key={c.id} className="zx-ws-hit zx-ws-canned" data-testid="ws-canned-item">
              <div className="zx-ws-hit-actions">
                <span>
                  <Typography.Text strong>{c.title}</Typography.Text>
                  <Tag style={{ marginInlineStart: 6 }} color={c.ownerId === null ? 'blue' : undefined}>
                    {c.ownerId === null ? t('ws.cannedSharedTag') : t('ws.cannedMine')}
                  </Tag>
                </span>
                <Space size={2}>
                  {onInsert && (
                    <Button size="small" type="link" icon={<EnterOutlined />} onClick={() => onInsert(c.text)} data-testid="ws-canned-insert">
                      {t('ws.insert')}
                    </Button>
                  )}
                  {canDelete && (
                    <Popconfirm title={t('common.confirmDelete')} onConfirm={() => void remove(c)}>
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>
                  )}
                </Space>
              </div>
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
                {c.text}
              </Typography.Paragraph>
            </div>
          );
        })
      )}
    </div>
  );
}
