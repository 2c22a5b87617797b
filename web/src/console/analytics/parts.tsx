import { Button, Col, Empty, List, Row, Segmented, Space, Statistic, Tag, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { AnalyticsSummary, HardTopics, HotTopics, Volumes } from '../../../../common/analytics';
import { analyticsApi, type HotTopicLevel, type VolumeDimension } from '../../api/analytics';
import type { CategoryNode } from '../../api/types';
import { useI18n, type MessageKey, type Translate } from '../../i18n';
import { ErrorAlert } from '../../shell/common';
import { channelLabel, handoffLabel } from '../../workspace/labels';
import { Chart, type ChartKind, type Point } from './charts';
import { ChartCard } from './ChartCard';

/** A 0–1 rate as a percentage; a dash when there was nothing to divide. */
export const formatRate = (rate: number | null | undefined) => (rate == null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** Seconds as "42 秒" / "3 分 05 秒". */
export function formatSeconds(t: Translate, seconds: number | null | undefined) {
  if (seconds == null) return '—';
  const s = Math.round(seconds);
  return s < 60 ? t('analytics.seconds', { s }) : t('analytics.minutes', { m: Math.floor(s / 60), s: String(s % 60).padStart(2, '0') });
}

/** A card's part that has not loaded (yet): what ChartCard shows as loading or failed. */
export interface Loaded<T> {
  data?: T | null;
  isLoading?: boolean;
  error?: unknown;
}

interface SummaryRow {
  key: string;
  indicator: string;
  value: string;
}

function summaryRows(t: Translate, s: AnalyticsSummary): SummaryRow[] {
  const rows: [string, MessageKey, string][] = [
    ['conversations', 'analytics.stat.conversations', String(s.conversations)],
    ['robotResolution', 'analytics.stat.robotResolution', formatRate(s.robotResolutionRate)],
    ['handoff', 'analytics.stat.handoff', formatRate(s.handoffRate)],
    ['firstContact', 'analytics.stat.firstContact', formatRate(s.firstContactResolutionRate)],
    ['satisfaction', 'analytics.stat.satisfaction', `${formatRate(s.satisfaction.positiveShare)} (${t('analytics.stat.satisfactionDetail', { avg: s.satisfaction.average?.toFixed(2) ?? '—', n: s.satisfaction.rated })})`],
    ['firstResponse', 'analytics.stat.firstResponse', t('analytics.stat.percentiles', { p50: formatSeconds(t, s.firstResponseSeconds.p50), p90: formatSeconds(t, s.firstResponseSeconds.p90) })],
    ['handling', 'analytics.stat.handling', t('analytics.stat.percentiles', { p50: formatSeconds(t, s.handlingSeconds.p50), p90: formatSeconds(t, s.handlingSeconds.p90) })],
    ['abandonment', 'analytics.stat.abandonment', formatRate(s.abandonmentRate)],
    ['serviceLevel', 'analytics.stat.serviceLevel', formatRate(s.serviceLevel.share)],
    ['selfService', 'analytics.stat.selfService', t('analytics.stat.selfServiceDetail', { a: s.selfService.robotAnswers, c: s.selfService.calculatorRuns, s: s.selfService.searches })],
  ];
  return rows.map(([key, label, value]) => ({ key, indicator: key === 'serviceLevel' ? t(label, { s: s.serviceLevel.thresholdSeconds }) : t(label), value }));
}

/** The headline indicators as statistic tiles (each `analytics-stat-<key>`), or as a table. */
export function SummaryCard({ summary, exportUrl }: { summary: Loaded<AnalyticsSummary>; exportUrl?: string }) {
  const { t } = useI18n();
  const s = summary.data;
  const rows = s ? summaryRows(t, s) : [];
  const tile = (key: string, title: string, value: string, detail?: string) => (
    <Col xs={12} md={8} xl={6} key={key}>
      <div className="zx-analytics-tile" data-testid={`analytics-stat-${key}`}>
        <Statistic title={title} value={value} />
        {detail && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{detail}</Typography.Text>}
      </div>
    </Col>
  );
  const tiles = s && (
    <Row gutter={[12, 12]}>
      {tile('conversations', t('analytics.stat.conversations'), String(s.conversations))}
      {tile('robotResolution', t('analytics.stat.robotResolution'), formatRate(s.robotResolutionRate))}
      {tile('handoff', t('analytics.stat.handoff'), formatRate(s.handoffRate))}
      {tile('firstContact', t('analytics.stat.firstContact'), formatRate(s.firstContactResolutionRate))}
      {tile('satisfaction', t('analytics.stat.satisfaction'), formatRate(s.satisfaction.positiveShare), t('analytics.stat.satisfactionDetail', { avg: s.satisfaction.average?.toFixed(2) ?? '—', n: s.satisfaction.rated }))}
      {tile('firstResponse', t('analytics.stat.firstResponse'), formatSeconds(t, s.firstResponseSeconds.p50), t('analytics.stat.percentiles', { p50: formatSeconds(t, s.firstResponseSeconds.p50), p90: formatSeconds(t, s.firstResponseSeconds.p90) }))}
      {tile('handling', t('analytics.stat.handling'), formatSeconds(t, s.handlingSeconds.p50), t('analytics.stat.percentiles', { p50: formatSeconds(t, s.handlingSeconds.p50), p90: formatSeconds(t, s.handlingSeconds.p90) }))}
      {tile('abandonment', t('analytics.stat.abandonment'), formatRate(s.abandonmentRate))}
      {tile('serviceLevel', t('analytics.stat.serviceLevel', { s: s.serviceLevel.thresholdSeconds }), formatRate(s.serviceLevel.share))}
      {tile('selfService', t('analytics.stat.selfService'), String(s.selfService.robotAnswers + s.selfService.calculatorRuns + s.selfService.searches), t('analytics.stat.selfServiceDetail', { a: s.selfService.robotAnswers, c: s.selfService.calculatorRuns, s: s.selfService.searches }))}
    </Row>
  );
  return (
    <ChartCard<SummaryRow>
      name="summary"
      title={t('analytics.card.summary')}
      exportUrl={exportUrl}
      isLoading={summary.isLoading}
      error={summary.error}
      chart={tiles ?? <span />}
      rows={rows}
      rowKey={(r) => r.key}
      columns={[
        { title: t('analytics.col.indicator'), dataIndex: 'indicator' },
        { title: t('analytics.col.value'), dataIndex: 'value', align: 'right' },
      ]}
    />
  );
}

interface CountRow {
  key: string;
  label: string;
  count: number;
}

/** Hand-off reasons (from the summary) as a bar chart. */
export function HandoffReasonsCard({ summary, exportUrl }: { summary: Loaded<AnalyticsSummary>; exportUrl?: string }) {
  const { t } = useI18n();
  const rows: CountRow[] = (summary.data?.handoffReasons ?? []).map((r) => ({ key: r.reason, label: handoffLabel(t, r.reason), count: r.count }));
  return (
    <CountCard name="handoff-reasons" title={t('analytics.card.handoff-reasons')} kind="hbar" keyTitle={t('analytics.col.reason')} rows={rows} loaded={summary} exportUrl={exportUrl} />
  );
}

function CountCard({ name, title, kind, keyTitle, rows, loaded, exportUrl }: { name: string; title: string; kind: ChartKind; keyTitle: string; rows: CountRow[]; loaded: Loaded<unknown>; exportUrl?: string }) {
  const { t } = useI18n();
  const points: Point[] = rows.map((r) => ({ label: r.label, value: r.count }));
  return (
    <ChartCard<CountRow>
      name={name}
      title={title}
      exportUrl={exportUrl}
      isLoading={loaded.isLoading}
      error={loaded.error}
      chart={<Chart name={name} kind={kind} series={[{ name: t('analytics.col.count'), points }]} height={kind === 'hbar' ? Math.max(200, Math.min(rows.length, 12) * 30 + 40) : 260} />}
      rows={rows}
      rowKey={(r) => r.key}
      columns={[
        { title: keyTitle, dataIndex: 'label' },
        { title: t('analytics.col.count'), dataIndex: 'count', align: 'right', width: 120 },
      ]}
    />
  );
}

const VOLUME_KINDS: Record<VolumeDimension, ChartKind> = { day: 'line', hour: 'bar', weekday: 'bar', channel: 'pie', category: 'hbar' };

/** Conversation counts by one dimension, drawn as that dimension reads best. */
export function VolumeCard({ by, volumes, exportUrl }: { by: VolumeDimension; volumes: Loaded<Volumes>; exportUrl?: string }) {
  const { t } = useI18n();
  const items = volumes.data?.items ?? [];
  // the category chart shows the largest first; the others keep the server's order (time, weekday)
  const ordered = by === 'category' ? [...items].sort((a, b) => b.count - a.count) : items;
  const rows: CountRow[] = ordered.map((i) => ({ key: i.key, label: by === 'channel' ? channelLabel(t, i.key) : i.label || i.key, count: i.count }));
  return <CountCard name={`volume-${by}`} title={t(`analytics.card.volume-${by}` as MessageKey)} kind={VOLUME_KINDS[by]} keyTitle={t('analytics.col.key')} rows={rows} loaded={volumes} exportUrl={exportUrl} />;
}

type HotRow = HotTopics['items'][number];

/** Hot topics: this period against the previous one of the same length, ranked by the server's score. */
export function HotTopicsCard({ hot, level, onLevel, exportUrl }: { hot: Loaded<HotTopics>; level?: HotTopicLevel; onLevel?: (level: HotTopicLevel) => void; exportUrl?: string }) {
  const { t } = useI18n();
  const d = hot.data;
  const rows = [...(d?.items ?? [])].sort((a, b) => b.score - a.score);
  const top = rows.slice(0, 10);
  const labelOf = (r: HotRow) => r.name;
  const keyOf = (r: HotRow) => r.entryId ?? r.categoryId;
  return (
    <ChartCard<HotRow>
      name="hot-topics"
      title={t('analytics.card.hot-topics')}
      exportUrl={exportUrl}
      isLoading={hot.isLoading}
      error={hot.error}
      extra={
        level && onLevel ? (
          <Segmented
            size="small"
            value={level}
            onChange={(v) => onLevel(v as HotTopicLevel)}
            options={[
              { value: 'category', label: <span data-testid="analytics-hot-level-category">{t('analytics.hot.category')}</span> },
              { value: 'entry', label: <span data-testid="analytics-hot-level-entry">{t('analytics.hot.entry')}</span> },
            ]}
          />
        ) : undefined
      }
      header={d && <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>{t('analytics.hot.compare', { from: d.from, to: d.to, pf: d.previousFrom, pt: d.previousTo })}</Typography.Paragraph>}
      chart={
        <Chart
          name="hot-topics"
          kind="hbar"
          height={Math.max(220, top.length * 40 + 60)}
          series={[
            { name: t('analytics.col.current'), points: top.map((r) => ({ label: labelOf(r), value: r.current })) },
            { name: t('analytics.col.previous'), points: top.map((r) => ({ label: labelOf(r), value: r.previous })) },
          ]}
        />
      }
      rows={rows}
      rowKey={keyOf}
      columns={[
        { title: '#', width: 48, render: (_, __, i) => i + 1 },
        { title: t('analytics.col.topic'), dataIndex: 'name', render: (name: string, r) => (r.entryId ? <Link to={`/console/entries/${encodeURIComponent(r.entryId)}`}>{name}</Link> : name) },
        { title: t('analytics.col.current'), dataIndex: 'current', align: 'right', width: 90 },
        { title: t('analytics.col.previous'), dataIndex: 'previous', align: 'right', width: 90 },
        { title: t('analytics.col.score'), dataIndex: 'score', align: 'right', width: 100, render: (v: number) => v.toFixed(2) },
      ]}
    />
  );
}

type HardRow = HardTopics['items'][number];

/** The category tree as TreeSelect data. */
export const categoryTreeData = (nodes: CategoryNode[]): { value: string; title: string; children: any[] }[] =>
  nodes.map((n) => ({ value: n.id, title: n.name, children: categoryTreeData(n.children) }));

/** Every category's name by id. */
export function categoryNames(nodes: CategoryNode[], into = new Map<string, string>()) {
  for (const n of nodes) {
    into.set(n.id, n.name);
    categoryNames(n.children, into);
  }
  return into;
}

/**
 * Hard topics: clusters of questions handed off, rated unhelpful or unanswered, with their reasons
 * and examples; a cluster becomes a knowledge entry draft in one click (not in a stored report).
 */
export function HardTopicsCard({ hard, categories, canDraft, exportUrl }: { hard: Loaded<HardTopics>; categories: CategoryNode[]; canDraft: boolean; exportUrl?: string }) {
  const { t } = useI18n();
  const rows = hard.data?.items ?? [];
  const names = categoryNames(categories);
  const reasonTags = (r: HardRow) =>
    (['handoff', 'unhelpful', 'unanswered'] as const)
      .filter((k) => r.reasons[k] > 0)
      .map((k) => (
        <Tag key={k} color={k === 'handoff' ? 'orange' : k === 'unhelpful' ? 'red' : 'default'} data-testid={`hard-topic-reason-${k}`}>
          {t(`analytics.hard.reason.${k}` as MessageKey)} {r.reasons[k]}
        </Tag>
      ));
  const list = rows.length ? (
    <List
      itemLayout="vertical"
      dataSource={rows}
      pagination={rows.length > 5 ? { pageSize: 5, size: 'small' } : false}
      data-testid="analytics-list-hard-topics"
      renderItem={(r) => <HardTopicItem key={r.id} topic={r} tags={reasonTags(r)} categories={categories} categoryName={r.categoryId ? names.get(r.categoryId) : undefined} canDraft={canDraft} />}
    />
  ) : (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analytics.noData')} />
  );
  return (
    <ChartCard<HardRow>
      name="hard-topics"
      title={t('analytics.card.hard-topics')}
      exportUrl={exportUrl}
      isLoading={hard.isLoading}
      error={hard.error}
      chart={list}
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        { title: t('analytics.col.topic'), dataIndex: 'label' },
        { title: t('analytics.col.count'), dataIndex: 'count', align: 'right', width: 90 },
        { title: t('analytics.hard.reason.handoff'), render: (_, r) => r.reasons.handoff, align: 'right', width: 90 },
        { title: t('analytics.hard.reason.unhelpful'), render: (_, r) => r.reasons.unhelpful, align: 'right', width: 100 },
        { title: t('analytics.hard.reason.unanswered'), render: (_, r) => r.reasons.unanswered, align: 'right', width: 90 },
        { title: t('analytics.hard.category'), dataIndex: 'categoryId', width: 140, render: (id: string | null) => (id ? (names.get(id) ?? id) : '—') },
        { title: t('analytics.hard.examples'), dataIndex: 'examples', render: (ex: string[]) => ex.join(' / ') },
      ]}
    />
  );
}

function HardTopicItem({ topic, tags, categories, categoryName, canDraft }: { topic: HardRow; tags: React.ReactNode[]; categories: CategoryNode[]; categoryName?: string; canDraft: boolean }) {
  const { t } = useI18n();
  const [categoryId, setCategoryId] = useState<string | undefined>(topic.categoryId ?? undefined);
  const [entryId, setEntryId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  async function draft() {
    if (!categoryId) return;
    setBusy(true);
    setError(null);
    try {
      setEntryId((await analyticsApi.draftFromHardTopic(topic.id, categoryId)).entryId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <List.Item data-testid="hard-topic" data-id={topic.id}>
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        <Space wrap>
          <Typography.Text strong>{topic.label}</Typography.Text>
          <Tag color="blue">{t('analytics.hard.count', { n: topic.count })}</Tag>
          {tags}
          {categoryName && <Tag>{categoryName}</Tag>}
        </Space>
        {topic.examples.length > 0 && (
          <ul className="zx-analytics-examples" aria-label={t('analytics.hard.examples')}>
            {topic.examples.map((ex, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the report's examples as served, never reordered; two may read the same
              <li key={i}>
                <Typography.Text type="secondary">“{ex}”</Typography.Text>
              </li>
            ))}
          </ul>
        )}
        {canDraft && (
          <Space wrap>
            <TreeSelect
              size="small"
              style={{ minWidth: 200 }}
              value={categoryId}
              onChange={(v) => setCategoryId(v)}
              treeData={categoryTreeData(categories)}
              placeholder={t('analytics.hard.category')}
              showSearch
              treeNodeFilterProp="title"
              treeDefaultExpandAll
              data-testid="hard-topic-category"
            />
            {entryId ? (
              <Link to={`/console/entries/${encodeURIComponent(entryId)}`} data-testid="hard-topic-draft-link" data-entry={entryId}>
                {t('analytics.hard.openDraft', { id: entryId })}
              </Link>
            ) : (
              <Button size="small" type="primary" ghost loading={isBusy} disabled={!categoryId} title={categoryId ? undefined : t('analytics.hard.needCategory')} onClick={draft} data-testid="hard-topic-draft">
                {t('analytics.hard.draft')}
              </Button>
            )}
          </Space>
        )}
        <ErrorAlert error={error} style={{ marginBottom: 0 }} />
      </Space>
    </List.Item>
  );
}
