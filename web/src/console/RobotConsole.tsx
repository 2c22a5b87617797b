import { ApartmentOutlined, BulbOutlined, ExperimentOutlined, ReloadOutlined, SettingOutlined, DashboardOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, InputNumber, Input, Popconfirm, Progress, Row, Segmented, Select, Slider, Space, Statistic, Switch, Table, Tabs, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { kb, robot, suggestions } from '../api/endpoints';
import type { RobotExplanation, RobotInsights, RobotSettings, Suggestion } from '../api/types';
import { formatDateTime, useI18n, type MessageKey } from '../i18n';
import { toTreeData } from '../portal/KnowledgeSearch';
import { ErrorAlert, useLoad } from '../shell/common';
import { useSession } from '../shell/session';
import { EntryAspects } from './EntryAspects';
import { ReviewModal } from './SuggestionsPage';
import { HEADLINE_FEATURES, ROBOT_FEATURE_LABELS } from './robot-features';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const DECISION_COLOR: Record<string, string> = { answer: 'green', clarify: 'gold', handoff: 'volcano', fallback: 'default' };

/**
 * 机器人运营 (robot.insights): how the robot does (turns, answer and hand-off rates), what it did
 * not answer (clustered by topic), what it learned from agents (proposals awaiting review), its
 * thresholds (robot.configure to change them, retrain) and a test box showing its reasoning.
 */
export function RobotConsole() {
  const { t } = useI18n();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'overview';
  const [probe, setProbe] = useState('');
  const go = (key: string, q?: string) => {
    if (q !== undefined) setProbe(q);
    setParams({ tab: key }, { replace: true });
  };
  return (
    <Card title={t('robot.title')} data-testid="robot-console">
      <Tabs
        activeKey={tab}
        onChange={(k) => go(k)}
        items={[
          { key: 'overview', label: <span><DashboardOutlined /> {t('robot.overview')}</span>, children: <Overview onProbe={(q) => go('test', q)} /> },
          // proposals are reviewed like other suggestions (editors, reviewers)
          ...(can('kb.suggestions') ? [{ key: 'learning', label: <span><BulbOutlined /> {t('robot.learning')}</span>, children: <LearningProposals /> }] : []),
          { key: 'settings', label: <span><SettingOutlined /> {t('robot.settings')}</span>, children: <SettingsForm /> },
          { key: 'test', label: <span><ExperimentOutlined /> {t('robot.test')}</span>, children: <TestBox key={probe} initial={probe} /> },
          { key: 'aspects', label: <span><ApartmentOutlined /> {t('robot.aspectsTab')}</span>, children: <EntryAspects /> },
        ]}
      />
    </Card>
  );
}

/* ── overview: rates and unanswered topics ── */

function Overview({ onProbe }: { onProbe: (q: string) => void }) {
  const { t } = useI18n();
  const [days, setDays] = useState(7);
  const { data, error, isLoading, reload } = useLoad(() => robot.insights(days), [days]);
  const s = data?.summary;
  return (
    <div data-testid="robot-overview">
      <Space style={{ marginBottom: 16 }} wrap>
        <Segmented
          value={days}
          onChange={(v) => setDays(Number(v))}
          options={[1, 7, 30, 90].map((d) => ({ value: d, label: d === 1 ? t('robot.day1') : t('robot.days', { n: d }) }))}
        />
        <Button icon={<ReloadOutlined />} onClick={reload} loading={isLoading}>
          {t('common.refresh')}
        </Button>
      </Space>
      <ErrorAlert error={error} />
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small"><Statistic title={t('robot.turns')} value={s?.turns ?? 0} loading={isLoading && !s} /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small"><Statistic title={t('robot.sessions')} value={s?.sessions ?? 0} loading={isLoading && !s} /></Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Space align="center">
              <Progress type="circle" size={64} percent={(s?.answerRate ?? 0) * 100} format={() => pct(s?.answerRate ?? 0)} strokeColor="#2f9e44" />
              <Typography.Text type="secondary">{t('robot.answerRate')}</Typography.Text>
            </Space>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Space align="center">
              <Progress type="circle" size={64} percent={(s?.handoffRate ?? 0) * 100} format={() => pct(s?.handoffRate ?? 0)} strokeColor="#d4380d" />
              <Typography.Text type="secondary">{t('robot.handoffRate')}</Typography.Text>
            </Space>
          </Card>
        </Col>
      </Row>
      {s && s.turns > 0 && <DecisionBar summary={s} />}
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('robot.unanswered')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('robot.unansweredHint')}</Typography.Paragraph>
      <UnansweredTable data={data} isLoading={isLoading} onProbe={onProbe} />
    </div>
  );
}

/** One horizontal bar: the share of each decision, with a legend. */
function DecisionBar({ summary: s }: { summary: RobotInsights['summary'] }) {
  const { t } = useI18n();
  const parts = [
    { key: 'answer', n: s.answered, color: '#52c41a' },
    { key: 'clarify', n: s.clarified, color: '#faad14' },
    { key: 'handoff', n: s.handedOff, color: '#fa541c' },
    { key: 'fallback', n: s.fellBack, color: '#bfbfbf' },
  ];
  return (
    <div style={{ marginTop: 16 }} data-testid="robot-decision-bar">
      <div style={{ display: 'flex', height: 14, borderRadius: 7, overflow: 'hidden', background: '#f0f0f0' }}>
        {parts.map((p) => p.n > 0 && <div key={p.key} title={`${t(`robot.decision.${p.key}` as MessageKey)} ${p.n}`} style={{ width: `${(p.n / s.turns) * 100}%`, background: p.color }} />)}
      </div>
      <Space size="large" style={{ marginTop: 8 }} wrap>
        {parts.map((p) => (
          <span key={p.key} style={{ fontSize: 13 }}>
            <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 2, background: p.color, marginInlineEnd: 6 }} />
            {t('robot.decisionShare', { label: t(`robot.decision.${p.key}` as MessageKey), n: p.n, share: pct(s.turns ? p.n / s.turns : 0) })}
          </span>
        ))}
      </Space>
    </div>
  );
}

function UnansweredTable({ data, isLoading, onProbe }: { data?: RobotInsights; isLoading: boolean; onProbe: (q: string) => void }) {
  const { t } = useI18n();
  const max = Math.max(1, ...(data?.unanswered ?? []).map((u) => u.count));
  return (
    <Table
      rowKey={(r) => r.label}
      size="middle"
      loading={isLoading}
      dataSource={data?.unanswered ?? []}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty description={t('robot.noUnanswered')} /> }}
      data-testid="robot-unanswered"
      columns={[
        { title: t('robot.topic'), dataIndex: 'label', render: (l: string) => <Typography.Text strong>{l}</Typography.Text> },
        {
          title: t('robot.count'),
          dataIndex: 'count',
          width: 160,
          render: (n: number) => (
            <Space>
              <div style={{ width: 80, height: 8, background: '#f0f0f0', borderRadius: 4 }}>
                <div style={{ width: `${(n / max) * 100}%`, height: 8, background: '#1456b8', borderRadius: 4 }} />
              </div>
              {n}
            </Space>
          ),
        },
        {
          title: t('robot.outcome'),
          dataIndex: 'decisions',
          width: 180,
          render: (d: Record<string, number>) => (
            <Space size={[4, 4]} wrap>
              {Object.entries(d).map(([k, n]) => (
                <Tag key={k} color={DECISION_COLOR[k]}>
                  {t(`robot.decision.${k}` as MessageKey)} {n}
                </Tag>
              ))}
            </Space>
          ),
        },
        {
          title: t('robot.examples'),
          dataIndex: 'examples',
          render: (ex: string[]) => (
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {ex.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          ),
        },
        {
          title: t('robot.closest'),
          dataIndex: 'topEntryId',
          width: 120,
          render: (id: string | null) => (id && !id.startsWith('ruleset:') ? <Link to={`/console/entries/${encodeURIComponent(id)}`}><Typography.Text code>{id}</Typography.Text></Link> : <Typography.Text type="secondary">—</Typography.Text>),
        },
        {
          title: t('common.actions'),
          width: 110,
          render: (_, r) => (
            <Button size="small" icon={<ExperimentOutlined />} onClick={() => onProbe(r.examples[0] ?? r.label)}>
              {t('robot.analyze')}
            </Button>
          ),
        },
      ]}
    />
  );
}

/* ── learning proposals: suggestions with source robot_learning ── */

function LearningProposals() {
  const { t, lang } = useI18n();
  const { data, error, isLoading, reload } = useLoad(() => suggestions.list('pending'), []);
  const [reviewing, setReviewing] = useState<{ s: Suggestion; decision: 'accept' | 'reject' } | null>(null);
  const items = (data?.items ?? []).filter((s) => s.source === 'robot_learning');
  return (
    <div data-testid="robot-learning">
      <Typography.Paragraph type="secondary">{t('robot.learningHint')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Table<Suggestion>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('robot.noProposals')} /> }}
        columns={[
          {
            title: t('sug.kind'),
            dataIndex: 'kind',
            width: 130,
            render: (k: string) => <Tag color={k === 'new_entry_cluster' ? 'green' : 'blue'}>{t(`sug.kind.${k}` as MessageKey)}</Tag>,
          },
          { title: t('sug.content'), render: (_, s) => <ProposalContent s={s} /> },
          { title: t('robot.conversations'), width: 90, render: (_, s) => ((s.payload.conversationIds as unknown[]) ?? []).length },
          { title: t('robot.proposedAt'), dataIndex: 'createdAt', width: 150, render: (d: string) => formatDateTime(d, lang) },
          {
            title: t('common.actions'),
            width: 160,
            render: (_, s) => (
                <Space>
                  <Button size="small" type="primary" onClick={() => setReviewing({ s, decision: 'accept' })} data-testid={`proposal-accept-${s.id}`}>
                    {t('sug.accept')}
                  </Button>
                  <Button size="small" danger onClick={() => setReviewing({ s, decision: 'reject' })}>
                    {t('sug.reject')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {reviewing && <ReviewModal {...reviewing} onClose={(changed) => { setReviewing(null); if (changed) reload(); }} />}
    </div>
  );
}

function ProposalContent({ s }: { s: Suggestion }) {
  const { t } = useI18n();
  const p = s.payload as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]).map(String) : typeof v === 'string' ? [v] : []);
  if (s.kind === 'similar_question')
    return (
      <Space orientation="vertical" size={2}>
        <span>
          {t('robot.addSimilarTo')}{' '}
          <Link to={`/console/entries/${encodeURIComponent(s.entryId ?? '')}`}>
            <Typography.Text code>{s.entryId}</Typography.Text>
          </Link>
        </span>
        {list(p.similar).map((q) => (
          <Typography.Text strong key={q}>
            “{q}”
          </Typography.Text>
        ))}
        {typeof p.robotConfidence === 'number' && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('robot.robotThen', { top: String(p.robotTop ?? '—'), p: pct(p.robotConfidence) })}
          </Typography.Text>
        )}
      </Space>
    );
  return (
    <Space orientation="vertical" size={2} style={{ maxWidth: 560 }}>
      <Typography.Text strong>{String(p.question ?? '')}</Typography.Text>
      {list(p.similar).length > 0 && <Typography.Text type="secondary">≈ {list(p.similar).join('；')}</Typography.Text>}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('robot.agentAnswers')}
      </Typography.Text>
      <ul style={{ margin: 0, paddingLeft: 16 }}>
        {list(p.draftAnswers ?? p.answer).map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
    </Space>
  );
}

/* ── thresholds and retraining ── */

function SettingsForm() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const mayChange = can('robot.configure');
  const [form] = Form.useForm<RobotSettings>();
  const { data, error, reload } = useLoad(() => robot.settings(), []);
  const { data: tree } = useLoad(() => kb.categories(), []);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [isSaving, setSaving] = useState(false);
  const [isTraining, setTraining] = useState(false);
  const answer = Form.useWatch('answerThreshold', form) ?? data?.answerThreshold ?? 0.6;
  const clarify = Form.useWatch('clarifyThreshold', form) ?? data?.clarifyThreshold ?? 0.2;

  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);

  async function save(values: RobotSettings) {
    setSaving(true);
    setSaveError(null);
    try {
      // the form holds the thresholds; entry aspects (set on their own tab) are kept as stored
      form.setFieldsValue(await robot.saveSettings({ ...(await robot.settings()), ...values }));
      message.success(t('common.saved'));
    } catch (err) {
      setSaveError(err);
    } finally {
      setSaving(false);
    }
  }

  async function retrain() {
    setTraining(true);
    try {
      const r = await robot.retrain();
      message.success(t('robot.retrained', { n: r.entries }));
    } catch (err) {
      setSaveError(err);
    } finally {
      setTraining(false);
    }
  }

  // 澄清阈值 ≤ 直接回答阈值, as the server requires
  const notAboveAnswer = ({ getFieldValue }: { getFieldValue: (n: string) => number }) => ({
    validator: (_: unknown, v: number) => (v <= getFieldValue('answerThreshold') ? Promise.resolve() : Promise.reject(new Error(t('robot.clarifyTooHigh')))),
  });
  const threshold = (name: 'answerThreshold' | 'clarifyThreshold') => (
    <Row gutter={12} align="middle">
      <Col flex="auto">
        <Form.Item name={name} noStyle>
          <Slider min={0} max={1} step={0.01} disabled={!mayChange} />
        </Form.Item>
      </Col>
      <Col flex="96px">
        <Form.Item name={name} noStyle dependencies={name === 'clarifyThreshold' ? ['answerThreshold'] : []} rules={name === 'clarifyThreshold' ? [notAboveAnswer] : [{ required: true }]}>
          <InputNumber min={0} max={1} step={0.01} disabled={!mayChange} style={{ width: 88 }} data-testid={`robot-${name}`} />
        </Form.Item>
      </Col>
    </Row>
  );

  return (
    <Row gutter={[24, 24]} data-testid="robot-settings">
      <Col xs={24} lg={15}>
        <ErrorAlert error={error} />
        <ErrorAlert error={saveError} />
        {!mayChange && <Alert type="info" showIcon title={t('robot.readOnly')} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={save} disabled={!mayChange}>
          <ConfidenceZones answer={answer} clarify={clarify} />
          <Form.Item label={t('robot.answerThreshold')} extra={t('robot.answerThresholdHint')} required>
            {threshold('answerThreshold')}
          </Form.Item>
          <Form.Item label={t('robot.clarifyThreshold')} extra={t('robot.clarifyThresholdHint')} required>
            {threshold('clarifyThreshold')}
          </Form.Item>
          <Form.Item name="handoffAfterFailures" label={t('robot.handoffAfterFailures')} extra={t('robot.handoffAfterFailuresHint')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10} />
          </Form.Item>
          <Form.Item name="humanOnlyCategories" label={t('robot.humanOnlyCategories')} extra={t('robot.humanOnlyCategoriesHint')}>
            <TreeSelect multiple allowClear treeData={toTreeData(tree?.items ?? [])} treeDefaultExpandAll={false} placeholder={t('common.none')} />
          </Form.Item>
          <Form.Item name="humanOnlyEntries" label={t('robot.humanOnlyEntries')} extra={t('robot.humanOnlyEntriesHint')}>
            <Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} placeholder="yl-001" />
          </Form.Item>
          <Form.Item name="handoffOnAnger" label={t('robot.handoffOnAnger')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={isSaving} data-testid="robot-settings-save">
              {t('common.save')}
            </Button>
            <Button htmlType="button" onClick={() => (data ? form.setFieldsValue(data) : reload())}>
              {t('common.cancel')}
            </Button>
          </Space>
        </Form>
      </Col>
      <Col xs={24} lg={9}>
        <Card size="small" title={t('robot.retrain')}>
          <Typography.Paragraph type="secondary">{t('robot.retrainHint')}</Typography.Paragraph>
          <Popconfirm title={t('robot.retrainConfirm')} onConfirm={retrain} disabled={!mayChange}>
            <Button icon={<ReloadOutlined />} loading={isTraining} disabled={!mayChange} data-testid="robot-retrain">
              {t('robot.retrain')}
            </Button>
          </Popconfirm>
        </Card>
      </Col>
    </Row>
  );
}

/** What the thresholds mean: the confidence scale split into fall back / ask back / answer. */
function ConfidenceZones({ answer, clarify }: { answer: number; clarify: number }) {
  const { t } = useI18n();
  const a = Math.min(1, Math.max(0, answer));
  const c = Math.min(a, Math.max(0, clarify));
  return (
    <div style={{ marginBottom: 20 }}>
      <div style={{ display: 'flex', height: 28, borderRadius: 6, overflow: 'hidden', fontSize: 12, color: '#fff', textAlign: 'center', lineHeight: '28px' }}>
        <div style={{ width: `${c * 100}%`, background: '#8c8c8c', overflow: 'hidden', whiteSpace: 'nowrap' }}>{t('robot.decision.fallback')}</div>
        <div style={{ width: `${(a - c) * 100}%`, background: '#faad14', overflow: 'hidden', whiteSpace: 'nowrap' }}>{t('robot.decision.clarify')}</div>
        <div style={{ width: `${(1 - a) * 100}%`, background: '#52c41a', overflow: 'hidden', whiteSpace: 'nowrap' }}>{t('robot.decision.answer')}</div>
      </div>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 12, color: '#8c99ad', marginTop: 2 }}>
        <span>0</span>
        <span>{t('robot.confidenceScale')}</span>
        <span>1</span>
      </div>
    </div>
  );
}

/* ── test box: the robot's reasoning for one question ── */


function TestBox({ initial }: { initial: string }) {
  const { t } = useI18n();
  const [question, setQuestion] = useState(initial);
  const [previous, setPrevious] = useState('');
  const [result, setResult] = useState<RobotExplanation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);

  async function run(q: string) {
    if (!q.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const earlier = previous.split('\n').map((l) => l.trim()).filter(Boolean);
      setResult(await robot.explain(q.trim(), earlier));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: the question from the link runs once on opening; later questions run when the user asks
  useEffect(() => {
    if (initial) void run(initial);
  }, []);

  // a feature the web does not know yet keeps its raw name rather than disappearing
  const featureName = (f: string) => (ROBOT_FEATURE_LABELS[f] ? t(ROBOT_FEATURE_LABELS[f]) : f);
  return (
    <div data-testid="robot-test">
      <Typography.Text type="secondary">{t('robot.previous')}</Typography.Text>
      <Input.TextArea
        value={previous}
        onChange={(e) => setPrevious(e.target.value)}
        autoSize={{ minRows: 1, maxRows: 4 }}
        placeholder={t('robot.previousHelp')}
        aria-label={t('robot.previous')}
        style={{ marginBottom: 8 }}
        data-testid="robot-test-previous"
      />
      <Input.Search
        size="large"
        value={question}
        onChange={(e) => setQuestion(e.target.value)}
        onSearch={run}
        enterButton={t('robot.explain')}
        loading={isBusy}
        maxLength={2000}
        placeholder={t('robot.testPlaceholder')}
        data-testid="robot-test-input"
      />
      <ErrorAlert error={error} style={{ marginTop: 12 }} />
      {result && (
        <div style={{ marginTop: 16 }} data-testid="robot-test-result">
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              {
                key: 'decision',
                label: t('robot.decisionLabel'),
                children: (
                  <Space wrap>
                    <Tag color={DECISION_COLOR[result.decision]} style={{ fontSize: 14, padding: '2px 10px' }} data-testid="robot-test-decision">
                      {t(`robot.decision.${result.decision}` as MessageKey)}
                    </Tag>
                    {result.handoffReason && <Tag>{t('robot.reason', { r: result.handoffReason })}</Tag>}
                    {result.referral && <Tag color="orange">{result.referral.agency} {result.referral.hotline}</Tag>}
                  </Space>
                ),
              },
              ...(result.followUp
                ? [
                    {
                      key: 'followUp',
                      label: t('robot.followUp'),
                      span: 2,
                      children: (
                        <Space direction="vertical" size={2} data-testid="robot-test-followup">
                          <span>{t('robot.followUp.topic', { id: result.followUp.topicEntryId, question: result.followUp.topicQuestion })}</span>
                          <Typography.Text type="secondary">{result.followUp.reading}</Typography.Text>
                        </Space>
                      ),
                    },
                  ]
                : []),
              { key: 'confidence', label: t('robot.confidence'), children: <Progress percent={Math.round(result.confidence * 1000) / 10} size="small" style={{ maxWidth: 240, margin: 0 }} /> },
              { key: 'normalized', label: t('robot.normalized'), children: result.normalized },
              {
                key: 'corrected',
                label: t('robot.corrected'),
                children: (
                  <Space wrap>
                    {result.corrected}
                    {result.corrections.map((c, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the explanation's list as served, never reordered; items may repeat
                      <Tag key={i} color="purple">
                        {c.from} → {c.to}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              { key: 'tokens', label: t('robot.tokens'), span: 2, children: <Space size={[4, 4]} wrap>{/* biome-ignore lint/suspicious/noArrayIndexKey: the explanation's list as served, never reordered; items may repeat */}{result.tokens.map((x, i) => <Tag key={i}>{x}</Tag>)}</Space> },
              {
                key: 'synonyms',
                label: t('robot.synonymsApplied'),
                children: result.synonymsApplied.length ? (
                  <Space size={[4, 4]} wrap>
                    {result.synonymsApplied.map((s, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the explanation's list as served, never reordered; items may repeat
                      <Tag key={i} color="blue">
                        {s.phrase} → {s.term}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  '—'
                ),
              },
              { key: 'unknown', label: t('robot.unknownShare'), children: pct(result.unknownShare) },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('robot.candidates')}
          </Typography.Title>
          <Table
            rowKey="entryId"
            size="small"
            pagination={false}
            dataSource={result.candidates.map((c, i) => ({ ...c, rank: i + 1 }))}
            data-testid="robot-test-candidates"
            expandable={{
              expandedRowRender: (c) => (
                <div className="zx-features">
                  {Object.entries(c.features).map(([f, v]) => (
                    <div key={f} className="zx-feature" data-testid="robot-feature" data-feature={f}>
                      <Tooltip title={t('robot.featureName', { name: f })}>
                        <span className="zx-feature-name">{featureName(f)}</span>
                      </Tooltip>
                      <span className="zx-feature-bar">
                        <span style={{ width: `${Math.max(0, Math.min(1, v)) * 100}%` }} />
                      </span>
                      <span className="zx-feature-value">{v.toFixed(3)}</span>
                    </div>
                  ))}
                </div>
              ),
              rowExpandable: (c) => !!c.features && Object.keys(c.features).length > 0,
              defaultExpandedRowKeys: result.candidates[0] ? [result.candidates[0].entryId] : [],
            }}
            columns={[
              { title: '#', dataIndex: 'rank', width: 44 },
              { title: t('entries.id'), dataIndex: 'entryId', width: 100, render: (id: string) => <Link to={`/console/entries/${encodeURIComponent(id)}`}><Typography.Text code>{id}</Typography.Text></Link> },
              { title: t('entries.question'), dataIndex: 'question' },
              { title: t('robot.score'), dataIndex: 'score', width: 100, render: (v: number) => v.toFixed(3) },
              { title: t('robot.rankLogit'), dataIndex: 'rankLogit', width: 110, render: (v: number) => v?.toFixed(2) },
              ...HEADLINE_FEATURES.map((f) => ({ title: <Tooltip title={t('robot.featureName', { name: f })}>{featureName(f)}</Tooltip>, width: 110, render: (_: unknown, c: RobotExplanation['candidates'][number]) => c.features?.[f]?.toFixed(3) ?? '—' })),
            ]}
          />
          {result.tokens.length > 0 && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
              {t('robot.bigrams')}{t('common.colon')}{result.bigrams.join(' ')}
            </Typography.Paragraph>
          )}
        </div>
      )}
    </div>
  );
}
