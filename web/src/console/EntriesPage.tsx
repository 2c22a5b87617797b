import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Input, Row, Select, Space, Table, Tag, Tree, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { kb, manage } from '../api/endpoints';
import type { ManagedSummary } from '../api/types';
import { formatDateTime, useI18n } from '../i18n';
import { toTreeData } from '../portal/KnowledgeSearch';
import { ErrorAlert, useLoad } from '../shell/common';
import { useSession } from '../shell/session';
import { StateTag } from './labels';

const PAGE_SIZE = 20;

/** Category tree and the list of all entries, drafts included, filtered by state, category and text. */
export function EntriesPage() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? undefined;
  const category = params.get('category') ?? undefined;
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const set = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) (v ? merged.set(k, v) : merged.delete(k));
    if (!('page' in next)) merged.delete('page');
    setParams(merged);
  };
  const { data: tree } = useLoad(() => kb.categories(), []);
  const { data, error, isLoading } = useLoad(() => manage.list({ state, category, q: q || undefined, page, pageSize: PAGE_SIZE }), [state, category, q, page]);

  return (
    <Row gutter={16}>
      <Col xs={24} xl={6}>
        <Card size="small" title={t('portal.categories')} style={{ marginBottom: 16 }} extra={category && <button type="button" className="zx-link" onClick={() => set({ category: undefined })}>{t('portal.allCategories')}</button>}>
          {tree && <Tree blockNode selectedKeys={category ? [category] : []} treeData={toTreeData(tree.items, true)} onSelect={(keys) => set({ category: (keys[0] as string) ?? undefined })} />}
        </Card>
      </Col>
      <Col xs={24} xl={18}>
        <Card
          title={t('console.entries')}
          extra={
            can('kb.edit') && (
              <Link to="/console/entries/new">
                <Button type="primary" icon={<PlusOutlined />} data-testid="entry-new">
                  {t('entries.new')}
                </Button>
              </Link>
            )
          }
        >
          <Space wrap style={{ marginBottom: 16 }}>
            <Input.Search key={q} defaultValue={q} allowClear placeholder={t('entries.search')} onSearch={(v) => set({ q: v.trim() || undefined })} style={{ width: 280 }} data-testid="entries-search" />
            <Select
              style={{ width: 160 }}
              value={state ?? ''}
              onChange={(v) => set({ state: v || undefined })}
              options={[{ value: '', label: t('entries.allStates') }, ...(['draft', 'in_review', 'published', 'archived'] as const).map((s) => ({ value: s, label: t(`state.${s}`) }))]}
              data-testid="entries-state"
            />
          </Space>
          <ErrorAlert error={error} />
          <Table<ManagedSummary>
            rowKey="id"
            size="middle"
            loading={isLoading}
            dataSource={data?.items ?? []}
            pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('common.total', { n }), onChange: (p) => set({ page: String(p) }) }}
            columns={[
              { title: t('entries.id'), dataIndex: 'id', width: 110, render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
              {
                title: t('entries.question'),
                dataIndex: 'question',
                render: (question: string, row) => (
                  <Space orientation="vertical" size={0}>
                    <Link to={`/console/entries/${encodeURIComponent(row.id)}`} data-testid={`entry-link-${row.id}`}>
                      {question}
                    </Link>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {row.categoryPath}
                    </Typography.Text>
                  </Space>
                ),
              },
              { title: t('entries.audience'), dataIndex: 'audience', width: 90, render: (a: string) => <Tag color={a === 'staff' ? 'orange' : 'blue'}>{t(a === 'staff' ? 'audience.staff' : 'audience.public')}</Tag> },
              { title: t('entries.state'), dataIndex: 'state', width: 100, render: (s: string) => <StateTag state={s} /> },
              { title: t('entries.versions'), width: 90, render: (_, row) => `v${row.publishedVersion ?? '—'} / v${row.latestVersion}` },
              { title: t('entries.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (d: string) => formatDateTime(d, lang) },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
