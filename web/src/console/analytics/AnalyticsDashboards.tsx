import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { AnalyticsFilter, Volumes } from '../../../../common/analytics';
import { analyticsApi, filterOptionsApi, type AnalyticsReport, type HotTopicLevel, type ReportSummary, type VolumeDimension } from '../../api/analytics';
import { kb } from '../../api/endpoints';
import { formatDateTime, useI18n } from '../../i18n';
import { ErrorAlert, PageSpin, useLoad } from '../../shell/common';
import { FilterBar } from './FilterBar';
import { useAnalyticsFilter } from './filters';
import { HandoffReasonsCard, HardTopicsCard, HotTopicsCard, SummaryCard, VolumeCard, type Loaded } from './parts';
import './analytics.css';

/** Options of the filters; a list the viewer may not read is left empty rather than failing the page. */
function useFilterOptions() {
  const quiet = <T,>(p: Promise<{ items: T[] }>) => p.then((r) => r.items).catch(() => [] as T[]);
  const { data } = useLoad(
    async () => {
      const [categories, skills, agents] = await Promise.all([quiet(kb.categories()), quiet(filterOptionsApi.skills()), quiet(filterOptionsApi.agents())]);
      return { categories, skills, agents };
    },
    [],
  );
  return data ?? { categories: [], skills: [], agents: [] };
}

const filterKey = (f: AnalyticsFilter) => [f.from, f.to, f.channel, f.category, f.skill, f.agent].join('|');

/** The data analysis centre: live dashboards under a shareable filter, and the stored daily and weekly reports. */
export default function AnalyticsDashboards() {
  const { t } = useI18n();
  const state = useAnalyticsFilter();
  const options = useFilterOptions();
  const tab = state.params.get('tab') === 'reports' ? 'reports' : 'dashboards';
  return (
    <div className="zx-analytics" data-testid="analytics-page">
      <Tabs
        activeKey={tab}
        onChange={(key) => state.update({ tab: key === 'reports' ? 'reports' : undefined, report: undefined })}
        items={[
          { key: 'dashboards', label: <span data-testid="analytics-tab-dashboards">{t('analytics.tab.dashboards')}</span> },
          { key: 'reports', label: <span data-testid="analytics-tab-reports">{t('analytics.tab.reports')}</span> },
        ]}
      />
      {/* only the open tab is rendered, so each card's test id is on the page once */}
      {tab === 'dashboards' ? <Dashboards state={state} options={options} /> : <Reports categories={options.categories} reportId={state.params.get('report')} onOpen={(id) => state.update({ report: id ?? undefined })} />}
    </div>
  );
}

const DIMENSIONS: VolumeDimension[] = ['day', 'hour', 'weekday', 'channel', 'category'];

function Dashboards({ state, options }: { state: ReturnType<typeof useAnalyticsFilter>; options: ReturnType<typeof useFilterOptions> }) {
  const { filter } = state;
  const [tick, setTick] = useState(0);
  const key = `${filterKey(filter)}#${tick}`;
  const level: HotTopicLevel = state.params.get('level') === 'entry' ? 'entry' : 'category';

  const summary = useLoad(() => analyticsApi.summary(filter), [key]);
  // the five dimensions load side by side; one failing does not blank the others
  const volumes = useLoad(
    () => Promise.all(DIMENSIONS.map((by) => analyticsApi.volumes(filter, by).then((v): Loaded<Volumes> => ({ data: v }), (error): Loaded<Volumes> => ({ error })))),
    [key],
  );
  const hot = useLoad(() => analyticsApi.hotTopics(filter, level), [key, level]);
  const hard = useLoad(() => analyticsApi.hardTopics(filter), [key]);
  const volumeOf = (by: VolumeDimension): Loaded<Volumes> => (volumes.isLoading ? { isLoading: true, data: volumes.data?.[DIMENSIONS.indexOf(by)]?.data } : (volumes.data?.[DIMENSIONS.indexOf(by)] ?? { error: volumes.error }));
  const exportUrl = (name: Parameters<typeof analyticsApi.exportUrl>[0], extra?: Record<string, string>) => analyticsApi.exportUrl(name, filter, extra);

  return (
    <>
      <FilterBar state={state} options={options} onChange={state.update} onReload={() => setTick((n) => n + 1)} />
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col span={24}>
          <SummaryCard summary={summary} exportUrl={exportUrl('summary')} />
        </Col>
        <Col xs={24} xl={16}>
          <VolumeCard by="day" volumes={volumeOf('day')} exportUrl={exportUrl('volumes', { by: 'day' })} />
        </Col>
        <Col xs={24} xl={8}>
          <HandoffReasonsCard summary={summary} exportUrl={exportUrl('summary')} />
        </Col>
        <Col xs={24} lg={12}>
          <VolumeCard by="hour" volumes={volumeOf('hour')} exportUrl={exportUrl('volumes', { by: 'hour' })} />
        </Col>
        <Col xs={24} lg={12}>
          <VolumeCard by="weekday" volumes={volumeOf('weekday')} exportUrl={exportUrl('volumes', { by: 'weekday' })} />
        </Col>
        <Col xs={24} lg={10}>
          <VolumeCard by="channel" volumes={volumeOf('channel')} exportUrl={exportUrl('volumes', { by: 'channel' })} />
        </Col>
        <Col xs={24} lg={14}>
          <VolumeCard by="category" volumes={volumeOf('category')} exportUrl={exportUrl('volumes', { by: 'category' })} />
        </Col>
        <Col xs={24} xl={12}>
          <HotTopicsCard hot={hot} level={level} onLevel={(l) => state.update({ level: l === 'entry' ? 'entry' : undefined })} exportUrl={exportUrl('hot-topics', { level })} />
        </Col>
        <Col xs={24} xl={12}>
          <HardTopicsCard hard={hard} categories={options.categories} canDraft exportUrl={exportUrl('hard-topics')} />
        </Col>
      </Row>
    </>
  );
}

/** The stored reports: a list, and one opened with the dashboards' own cards. */
function Reports({ categories, reportId, onOpen }: { categories: ReturnType<typeof useFilterOptions>['categories']; reportId: string | null; onOpen: (id: string | null) => void }) {
  const { t, lang } = useI18n();
  const list = useLoad(() => analyticsApi.reports(), []);
  const kindLabel = (kind: string) => t(kind === 'weekly' ? 'analytics.reports.weekly' : 'analytics.reports.daily');
  if (reportId) return <ReportView id={reportId} categories={categories} kindLabel={kindLabel} onBack={() => onOpen(null)} />;
  return (
    <Card size="small" title={t('analytics.tab.reports')}>
      <ErrorAlert error={list.error} />
      <Table<ReportSummary>
        size="middle"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analytics.reports.empty')} /> }}
        pagination={(list.data?.length ?? 0) > 20 ? { pageSize: 20 } : false}
        data-testid="analytics-reports"
        onRow={(r) => ({ 'data-testid': 'analytics-report-row', 'data-id': r.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('analytics.reports.kind'), dataIndex: 'kind', width: 100, render: (k: string) => <Tag color={k === 'weekly' ? 'purple' : 'blue'}>{kindLabel(k)}</Tag> },
          { title: t('analytics.reports.period'), render: (_, r) => (r.from === r.to ? r.from : `${r.from} ~ ${r.to}`) },
          { title: t('analytics.reports.createdAt'), dataIndex: 'createdAt', width: 180, render: (v: string) => formatDateTime(v, lang) },
          {
            title: t('common.actions'),
            width: 200,
            render: (_, r) => (
              <Space>
                <Button size="small" type="link" onClick={() => onOpen(r.id)} data-testid="analytics-report-open">
                  {t('analytics.reports.open')}
                </Button>
                <Button size="small" icon={<DownloadOutlined />} href={analyticsApi.reportExportUrl(r.id)} download data-testid="analytics-report-export">
                  Excel
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

function ReportView({ id, categories, kindLabel, onBack }: { id: string; categories: ReturnType<typeof useFilterOptions>['categories']; kindLabel: (kind: string) => string; onBack: () => void }) {
  const { t } = useI18n();
  const { data, error, isLoading } = useLoad<AnalyticsReport>(() => analyticsApi.report(id), [id]);
  const volumeOf = (by: VolumeDimension) => data?.volumes.find((v) => v.by === by);
  return (
    <div data-testid="analytics-report" data-id={id}>
      <Space style={{ marginBottom: 16 }} wrap>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack} data-testid="analytics-report-back">
          {t('analytics.reports.back')}
        </Button>
        {data && <Typography.Title level={5} style={{ margin: 0 }}>{t('analytics.reports.title', { kind: kindLabel(data.kind), from: data.from, to: data.to })}</Typography.Title>}
        <Button icon={<DownloadOutlined />} href={analyticsApi.reportExportUrl(id)} download data-testid="analytics-export-report">
          {t('analytics.export')}
        </Button>
      </Space>
      <ErrorAlert error={error} />
      {isLoading ? (
        <PageSpin />
      ) : (
        data && (
          <Row gutter={[16, 16]}>
            {data.summary && (
              <>
                <Col span={24}>
                  <SummaryCard summary={{ data: data.summary }} />
                </Col>
                <Col xs={24} xl={12}>
                  <HandoffReasonsCard summary={{ data: data.summary }} />
                </Col>
              </>
            )}
            {DIMENSIONS.filter((by) => volumeOf(by)).map((by) => (
              <Col xs={24} xl={12} key={by}>
                <VolumeCard by={by} volumes={{ data: volumeOf(by) }} />
              </Col>
            ))}
            {data.hotTopics && (
              <Col xs={24} xl={12}>
                <HotTopicsCard hot={{ data: data.hotTopics }} />
              </Col>
            )}
            {data.hardTopics && (
              <Col xs={24} xl={12}>
                <HardTopicsCard hard={{ data: data.hardTopics }} categories={categories} canDraft={false} />
              </Col>
            )}
          </Row>
        )
      )}
    </div>
  );
}
