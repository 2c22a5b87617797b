import { Button, Card, Drawer, Empty, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { qualityApi, type QualityFlagDetail } from '../api/quality';
import { InspectionView } from '../console/quality/InspectionView';
import { FlagStatusTag, ScoreTag } from '../console/quality/labels';
import { formatDateTime, useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';

const TrendChart = lazy(() => import('../console/quality/TrendChart'));

/**
 * 我的质检 in the agent workspace: the agent's average and recent scores at a glance; the drawer shows
 * the weekly trend, flags by rule, each flag with its conversation, and the appeal form.
 */
export function MyQuality() {
  const { t, lang } = useI18n();
  const mine = useLoad(() => qualityApi.my(), []);
  const [isOpen, setOpen] = useState(false);
  const [conversationId, setConversationId] = useState<string | null>(null);
  const data = mine.data;

  return (
    <div style={{ padding: 12 }} data-testid="my-quality">
      <ErrorAlert error={mine.error} />
      {!data ? (
        <Spin />
      ) : (
        <>
          <Space size="large">
            <Statistic title={t('quality.my.inspected')} value={data.inspected} />
            <Statistic title={t('quality.my.average')} value={data.averageScore ?? '—'} data-testid="my-quality-average" />
          </Space>
          <div style={{ marginTop: 8 }}>
            {data.inspections.slice(0, 5).map((i) => (
              <div key={i.conversationId} style={{ display: 'flex', justifyContent: 'space-between', padding: '2px 0' }}>
                <Typography.Text type="secondary">{formatDateTime(i.closedAt, lang)}</Typography.Text>
                <ScoreTag score={i.score} />
              </div>
            ))}
          </div>
          <Button block style={{ marginTop: 8 }} onClick={() => setOpen(true)} data-testid="my-quality-open">
            {t('quality.my.open')}
          </Button>
        </>
      )}
      <Drawer title={t('quality.my.title')} size={860} open={isOpen} onClose={() => setOpen(false)} destroyOnHidden>
        {data && (
          <>
            <Card size="small" style={{ marginBottom: 16 }}>
              <Suspense fallback={<Spin />}>
                <TrendChart series={[{ name: t('quality.my.average'), points: data.trend }]} height={200} emptyText={t('quality.my.none')} />
              </Suspense>
            </Card>
            <Typography.Title level={5}>{t('quality.my.byRule')}</Typography.Title>
            <div style={{ marginBottom: 16 }}>
              {data.byRule.length ? data.byRule.map((r) => <Tag key={r.rule}>{`${r.ruleName} ×${r.count}`}</Tag>) : <Typography.Text type="secondary">—</Typography.Text>}
            </div>
            <Typography.Title level={5}>{t('quality.my.flags')}</Typography.Title>
            {data.flags.length ? (
              <Table<QualityFlagDetail>
                rowKey="id"
                size="small"
                dataSource={data.flags}
                pagination={{ pageSize: 10 }}
                onRow={(row) => ({ 'data-testid': 'my-quality-flag', 'data-flag-id': row.id }) as any}
                columns={[
                  { title: t('quality.rules.name'), dataIndex: 'ruleName', width: 130 },
                  { title: t('quality.filter.status'), dataIndex: 'status', width: 100, render: (s: QualityFlagDetail['status']) => <FlagStatusTag status={s} t={t} /> },
                  { title: '', dataIndex: 'excerpt', render: (x: string) => <Typography.Text style={{ fontSize: 12 }}>{x}</Typography.Text> },
                  {
                    title: '',
                    width: 110,
                    render: (_, f) => (
                      <Button size="small" onClick={() => setConversationId(f.conversationId)} data-testid="my-quality-view">
                        {t('quality.my.view')}
                      </Button>
                    ),
                  },
                ]}
              />
            ) : (
              <Empty description={t('quality.my.none')} />
            )}
          </>
        )}
      </Drawer>
      <Drawer title={t('quality.detail.title')} size={760} open={conversationId !== null} onClose={() => setConversationId(null)} destroyOnHidden>
        {conversationId && <InspectionView conversationId={conversationId} mode="appeal" onChanged={mine.reload} />}
      </Drawer>
    </div>
  );
}
