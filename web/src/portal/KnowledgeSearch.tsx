import { Empty, Grid, List, Pagination, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { kb } from '../api/endpoints';
import type { CategoryNode, EntrySummary, SearchHit } from '../api/types';
import { useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';

/** Search results for `q`, each linking to `linkTo(id)`; staff sessions also get staff entries. */
export function SearchResults({ q, linkTo, onPick }: { q: string; linkTo?: (id: string) => string; onPick?: (id: string) => void }) {
  const { t } = useI18n();
  const { data, error, isLoading } = useLoad(() => kb.search(q, undefined, 20), [q]);
  const items: SearchHit[] = data?.items ?? [];
  return (
    <div data-testid="search-results">
      <ErrorAlert error={error} />
      {data?.synonymsApplied && data.synonymsApplied.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('portal.synonyms', { list: data.synonymsApplied!.map((s) => `${s.from}→${s.to}`).join('，') })}
        </Typography.Paragraph>
      )}
      <List
        loading={isLoading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t('portal.noResults')} /> }}
        renderItem={(hit) => <ResultItem hit={hit} linkTo={linkTo} onPick={onPick} />}
      />
    </div>
  );
}

function ResultItem({ hit, linkTo, onPick }: { hit: SearchHit | EntrySummary; linkTo?: (id: string) => string; onPick?: (id: string) => void }) {
  const { t } = useI18n();
  const title = onPick ? (
    <button type="button" className="zx-link zx-q" onClick={() => onPick(hit.id)} data-testid={`result-${hit.id}`}>
      {hit.question}
    </button>
  ) : (
    <Link className="zx-q" to={linkTo ? linkTo(hit.id) : `/kb/${encodeURIComponent(hit.id)}`} data-testid={`result-${hit.id}`}>
      {hit.question}
    </Link>
  );
  return (
    <List.Item className="zx-result-item" style={{ display: 'block' }}>
      <Space size={8} wrap>
        {title}
        {hit.audience === 'staff' && <Tag color="orange">{t('entry.staffOnly')}</Tag>}
      </Space>
      {'snippet' in hit && hit.snippet && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '4px 0 2px' }}>
          {hit.snippet}
        </Typography.Paragraph>
      )}
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {hit.categoryPath}
        </Typography.Text>
      </div>
    </List.Item>
  );
}

/** The entries of a category subtree, paginated. */
export function CategoryEntries({ category, page, onPage, linkTo, onPick }: { category?: string; page: number; onPage: (p: number) => void; linkTo?: (id: string) => string; onPick?: (id: string) => void }) {
  const { t } = useI18n();
  const { data, error, isLoading } = useLoad(() => kb.entries(category, page, 15), [category, page]);
  // A phone gets 上一页 · 3 / 14 · 下一页 and the total on a line of its own: the full row of
  // page numbers squeezed "共 207 条" into one character per line.
  const isPhone = Grid.useBreakpoint().sm === false;
  return (
    <div data-testid="category-entries">
      <ErrorAlert error={error} />
      <List loading={isLoading} dataSource={data?.items ?? []} renderItem={(e) => <ResultItem hit={e} linkTo={linkTo} onPick={onPick} />} />
      {data && data.total > 15 && (
        <nav aria-label={t('portal.pagination')} className="zx-pagination" data-testid="entries-pagination">
          {isPhone ? (
            <Space orientation="vertical" align="center" style={{ width: '100%', marginTop: 12 }}>
              <Pagination simple={{ readOnly: true }} current={page} pageSize={15} total={data.total} onChange={onPage} showSizeChanger={false} />
              <Typography.Text type="secondary">{t('common.total', { n: data.total })}</Typography.Text>
            </Space>
          ) : (
            <Pagination style={{ marginTop: 16, justifyContent: 'flex-end' }} current={page} pageSize={15} total={data.total} onChange={onPage} showSizeChanger={false} showTotal={(n) => t('common.total', { n })} />
          )}
        </nav>
      )}
    </div>
  );
}

/** Flattens a category tree for selects: "养老保险 / 领取". */
export function flattenCategories(nodes: CategoryNode[], prefix = ''): { id: string; name: string; path: string }[] {
  return nodes.flatMap((n) => {
    const path = prefix ? `${prefix} / ${n.name}` : n.name;
    return [{ id: n.id, name: n.name, path }, ...flattenCategories(n.children, path)];
  });
}

export function findCategory(nodes: CategoryNode[], id: string): CategoryNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const inner = findCategory(n.children, id);
    if (inner) return inner;
  }
  return undefined;
}

/** Tree data for antd Tree/TreeSelect. */
export function toTreeData(nodes: CategoryNode[], withCounts = false): { key: string; value: string; title: string; children: any[] }[] {
  return nodes.map((n) => ({
    key: n.id,
    value: n.id,
    title: withCounts ? `${n.name}（${subtreeCount(n)}）` : n.name,
    children: toTreeData(n.children, withCounts),
  }));
}

export const subtreeCount = (n: CategoryNode): number => (n.entryCount ?? 0) + n.children.reduce((s, c) => s + subtreeCount(c), 0);
