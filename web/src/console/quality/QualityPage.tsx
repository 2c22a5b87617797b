import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Modal, Select, Space, Spin, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { errorMessage } from '../../api/client';
import { qualityApi, type FlagStatus, type InspectionFilter, type InspectionListItem, type QualityRule, type Scorecard } from '../../api/quality';
import { DATE_PICKER_FORMAT, formatDateTime, useI18n, type MessageKey } from '../../i18n';
import { ErrorAlert, useLoad } from '../../shell/common';
import { InspectionView } from './InspectionView';
import { percent, ScoreTag } from './labels';

const TrendChart = lazy(() => import('./TrendChart'));
const STATUSES: FlagStatus[] = ['open', 'appealed', 'confirmed', 'overturned'];
const day = (d: Dayjs) => d.format('YYYY-MM-DD');

/** 质量检查: inspected conversations (review, appeals), agents' scorecards, and the rules editor. */
export function QualityPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState('conversations');
  return (
    <Card title={t('quality.title')} data-testid="quality-page">
      <Typography.Paragraph type="secondary">{t('quality.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'conversations', label: <span data-testid="quality-tab-conversations">{t('quality.tab.conversations')}</span>, children: <ConversationsTab /> },
          { key: 'scorecards', label: <span data-testid="quality-tab-scorecards">{t('quality.tab.scorecards')}</span>, children: <ScorecardsTab /> },
          { key: 'rules', label: <span data-testid="quality-tab-rules">{t('quality.tab.rules')}</span>, children: <RulesTab /> },
        ]}
      />
    </Card>
  );
}

function ConversationsTab() {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<InspectionFilter>({ page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useLoad(() => qualityApi.list(filter), [JSON.stringify(filter)]);
  const rules = useLoad(() => qualityApi.rules(), []);
  const agents = useLoad(() => qualityApi.agents(day(dayjs().subtract(90, 'day')), day(dayjs())), []);
  const set = (patch: Partial<InspectionFilter>) => setFilter((f) => ({ ...f, page: 1, ...patch }));

  return (
    <div data-testid="quality-conversations">
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('quality.filter.agent')}
          value={filter.agent}
          onChange={(agent) => set({ agent })}
          options={(agents.data?.items ?? []).map((a) => ({ value: a.agentId, label: a.agentName }))}
          data-testid="quality-filter-agent"
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('quality.filter.rule')}
          value={filter.rule}
          onChange={(rule) => set({ rule })}
          options={(rules.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
          data-testid="quality-filter-rule"
        />
        <Select
          allowClear
          style={{ width: 130 }}
          placeholder={t('quality.filter.status')}
          value={filter.status}
          onChange={(status) => set({ status })}
          options={STATUSES.map((s) => ({ value: s, label: t(`quality.status.${s}` as MessageKey) }))}
          data-testid="quality-filter-status"
        />
        <InputNumber min={0} max={100} placeholder={t('quality.filter.minScore')} value={filter.minScore} onChange={(v) => set({ minScore: v ?? undefined })} data-testid="quality-filter-min" />
        <InputNumber min={0} max={100} placeholder={t('quality.filter.maxScore')} value={filter.maxScore} onChange={(v) => set({ maxScore: v ?? undefined })} data-testid="quality-filter-max" />
        <DatePicker.RangePicker format={DATE_PICKER_FORMAT}
          value={filter.from && filter.to ? [dayjs(filter.from), dayjs(filter.to)] : null}
          onChange={(range) => set({ from: range?.[0] ? day(range[0]) : undefined, to: range?.[1] ? day(range[1]) : undefined })}
          data-testid="quality-filter-period"
        />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          {t('quality.action.refresh')}
        </Button>
      </Space>
      <ErrorAlert error={list.error} />
      <Table<InspectionListItem>
        rowKey="conversationId"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        onRow={(row) => ({ onClick: () => setOpenId(row.conversationId), style: { cursor: 'pointer' }, 'data-testid': 'quality-row', 'data-id': row.conversationId }) as any}
        pagination={{ current: filter.page, pageSize: filter.pageSize, total: list.data?.total ?? 0, onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })) }}
        columns={[
          { title: t('quality.col.conversation'), dataIndex: 'conversationId', render: (id: string) => <Typography.Text code>{id.slice(0, 8)}</Typography.Text> },
          { title: t('quality.col.agent'), dataIndex: 'agentName', render: (name: string | null, row) => name ?? row.agentId ?? '—' },
          { title: t('quality.col.score'), dataIndex: 'score', width: 90, render: (score: number) => <ScoreTag score={score} /> },
          { title: t('quality.col.closedAt'), dataIndex: 'closedAt', render: (at: string) => formatDateTime(at, lang) },
          { title: t('quality.col.flags'), dataIndex: 'flagCount', width: 80 },
          { title: t('quality.col.open'), dataIndex: 'openCount', width: 90, render: (n: number) => (n ? <Tag color="orange">{n}</Tag> : 0) },
          { title: t('quality.col.appealed'), dataIndex: 'appealedCount', width: 90, render: (n: number) => (n ? <Tag color="purple">{n}</Tag> : 0) },
        ]}
      />
      <Drawer title={t('quality.detail.title')} size={860} open={openId !== null} onClose={() => setOpenId(null)} destroyOnHidden>
        {openId && <InspectionView conversationId={openId} mode="review" onChanged={list.reload} />}
      </Drawer>
    </div>
  );
}

function ScorecardsTab() {
  const { t } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(27, 'day'), dayjs()]);
  const cards = useLoad(() => qualityApi.agents(day(range[0]), day(range[1])), [day(range[0]), day(range[1])]);
  const items = cards.data?.items ?? [];
  return (
    <div data-testid="quality-scorecards">
      <Space style={{ marginBottom: 16 }}>
        <Typography.Text>{t('quality.scorecards.period')}</Typography.Text>
        <DatePicker.RangePicker format={DATE_PICKER_FORMAT} value={range} allowClear={false} onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])} data-testid="quality-scorecards-period" />
      </Space>
      <ErrorAlert error={cards.error} />
      <Card size="small" title={t('quality.scorecards.trend')} style={{ marginBottom: 16 }}>
        <Suspense fallback={<Spin />}>
          <TrendChart series={items.map((a) => ({ name: a.agentName, points: a.trend }))} emptyText={t('quality.scorecards.empty')} />
        </Suspense>
      </Card>
      <Table<Scorecard>
        rowKey="agentId"
        size="middle"
        loading={cards.isLoading}
        dataSource={items}
        pagination={false}
        onRow={(row) => ({ 'data-testid': 'quality-scorecard', 'data-agent': row.agentId }) as any}
        columns={[
          { title: t('quality.col.agent'), dataIndex: 'agentName' },
          { title: t('quality.scorecards.inspected'), dataIndex: 'inspected', width: 120 },
          { title: t('quality.scorecards.average'), dataIndex: 'averageScore', width: 110, render: (v: number | null) => <ScoreTag score={v === null ? null : Math.round(v)} /> },
          {
            title: t('quality.scorecards.flagsByRule'),
            dataIndex: 'flagsByRule',
            render: (rows: Scorecard['flagsByRule']) => rows.map((r) => <Tag key={r.rule}>{`${r.ruleName} ×${r.count}`}</Tag>),
          },
        ]}
      />
    </div>
  );
}

function RulesTab() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const rules = useLoad(() => qualityApi.rules(), []);
  const [editing, setEditing] = useState<QualityRule | null>(null);

  /** Saves a change and follows the re-inspection job it starts. */
  const save = async (rule: QualityRule, change: Parameters<typeof qualityApi.updateRule>[1]) => {
    try {
      const { jobId } = await qualityApi.updateRule(rule.id, change);
      message.info(t('quality.rules.saved'));
      rules.reload();
      void followJob(jobId);
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    }
  };
  const followJob = async (jobId: string) => {
    for (let i = 0; i < 120; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const job = await qualityApi.job(jobId).catch(() => null);
      if (job?.status === 'done') {
        message.success(t('quality.rules.reinspected', { n: Number((job.result as { reinspected?: number } | undefined)?.reinspected ?? 0) }));
        rules.reload();
        return;
      }
      if (!job || job.status === 'failed') return;
    }
  };

  return (
    <div data-testid="quality-rules">
      <ErrorAlert error={rules.error} />
      <Table<QualityRule>
        rowKey="id"
        size="middle"
        loading={rules.isLoading}
        dataSource={rules.data?.items ?? []}
        pagination={false}
        onRow={(row) => ({ 'data-testid': 'quality-rule', 'data-rule': row.id }) as any}
        columns={[
          {
            title: t('quality.rules.name'),
            dataIndex: 'name',
            render: (name: string, rule) => (
              <div>
                <Typography.Text strong>{name}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {rule.description}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          {
            title: t('quality.rules.enabled'),
            dataIndex: 'enabled',
            width: 80,
            render: (enabled: boolean, rule) => <Switch checked={enabled} onChange={(on) => void save(rule, { enabled: on })} data-testid={`quality-rule-enabled-${rule.id}`} />,
          },
          {
            title: t('quality.rules.weight'),
            dataIndex: 'weight',
            width: 100,
            render: (weight: number, rule) => (
              <InputNumber
                size="small"
                min={0}
                max={100}
                defaultValue={weight}
                style={{ width: 70 }}
                onBlur={(e) => {
                  const next = Number(e.target.value);
                  if (Number.isInteger(next) && next !== weight) void save(rule, { weight: next });
                }}
                data-testid={`quality-rule-weight-${rule.id}`}
              />
            ),
          },
          { title: t('quality.rules.flagCount'), dataIndex: 'flagCount', width: 90 },
          {
            title: t('quality.rules.overturnRate'),
            dataIndex: 'overturnRate',
            width: 110,
            render: (rate: number | null, rule) =>
              rate !== null && rate >= 0.3 && rule.flagCount >= 5 ? (
                <Tooltip title={t('quality.rules.highOverturn')}>
                  <Tag color="red">{percent(rate)}</Tag>
                </Tooltip>
              ) : (
                percent(rate)
              ),
          },
          {
            title: '',
            width: 80,
            render: (_, rule) => (
              <Button size="small" onClick={() => setEditing(rule)} data-testid={`quality-rule-edit-${rule.id}`}>
                {t('quality.rules.edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing && <RuleEditor rule={editing} onClose={() => setEditing(null)} onSave={(change) => save(editing, change)} />}
    </div>
  );
}

const lines = (v: unknown) => (Array.isArray(v) ? v.join('\n') : '');
const toLines = (v: string) => [...new Set(v.split('\n').map((s) => s.trim()).filter(Boolean))];

/** The parameters of a rule, in the form its kind needs. */
function RuleEditor({ rule, onClose, onSave }: { rule: QualityRule; onClose: () => void; onSave: (change: Parameters<typeof qualityApi.updateRule>[1]) => Promise<boolean> }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [isSaving, setSaving] = useState(false);
  const p = rule.params as Record<string, unknown>;
  const listKey = rule.type === 'forbidden_words' ? 'words' : rule.type === 'knowledge_mismatch' ? 'ignoreNumbers' : 'phrases';
  const hasList = ['greeting', 'closing', 'promise', 'forbidden_words', 'knowledge_mismatch'].includes(rule.type);
  const listLabel = rule.type === 'forbidden_words' ? t('quality.rules.words') : rule.type === 'knowledge_mismatch' ? t('quality.rules.ignoreNumbers') : t('quality.rules.phrases');

  const submit = async () => {
    const v = await form.validateFields();
    const params: Record<string, unknown> = {};
    if (hasList) params[listKey] = toLines(v.list ?? '');
    if (rule.type === 'slow_reply') params.seconds = v.seconds;
    if (rule.type === 'handoff_loop') params.transfers = v.transfers;
    if (rule.type === 'close_data') Object.assign(params, { requireCategory: v.requireCategory, requireSummary: v.requireSummary });
    setSaving(true);
    const ok = await onSave({ name: v.name, description: v.description, weight: v.weight, params });
    setSaving(false);
    if (ok) onClose();
  };

  return (
    <Modal open title={t('quality.rules.editTitle', { name: rule.name })} width={640} onCancel={onClose} onOk={() => void submit()} confirmLoading={isSaving} destroyOnHidden okButtonProps={{ 'data-testid': 'quality-rule-save' } as any}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: rule.name,
          description: rule.description,
          weight: rule.weight,
          list: lines(p[listKey]),
          seconds: p.seconds,
          transfers: p.transfers,
          requireCategory: p.requireCategory,
          requireSummary: p.requireSummary,
        }}
      >
        <Form.Item name="name" label={t('quality.rules.name')} rules={[{ required: true, max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('quality.rules.description')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="weight" label={t('quality.rules.weight')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        {hasList && (
          <Form.Item name="list" label={listLabel}>
            <Input.TextArea rows={8} data-testid="quality-rule-list" />
          </Form.Item>
        )}
        {rule.type === 'slow_reply' && (
          <Form.Item name="seconds" label={t('quality.rules.seconds')} rules={[{ required: true }]}>
            <InputNumber min={5} max={3600} data-testid="quality-rule-seconds" />
          </Form.Item>
        )}
        {rule.type === 'handoff_loop' && (
          <Form.Item name="transfers" label={t('quality.rules.transfers')} rules={[{ required: true }]}>
            <InputNumber min={2} max={20} />
          </Form.Item>
        )}
        {rule.type === 'close_data' && (
          <Space size="large">
            <Form.Item name="requireCategory" label={t('quality.rules.requireCategory')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="requireSummary" label={t('quality.rules.requireSummary')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        )}
      </Form>
    </Modal>
  );
}
