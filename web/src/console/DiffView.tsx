import { Empty, Space, Tag, Typography } from 'antd';
import type { Diff, DiffChange } from '../api/types';
import { useI18n, type MessageKey } from '../i18n';

/** What changed between two versions, field by field: text as line hunks, lists as added/removed. */
export function DiffView({ diff }: { diff: Diff }) {
  const { t } = useI18n();
  if (diff.changes.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('editor.noChanges')} />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="diff-view">
      {diff.changes.map((c) => (
        <div key={c.field}>
          <Typography.Text strong>{t(`field.${c.field}` as MessageKey)}</Typography.Text>
          <div style={{ marginTop: 4 }}>
            <ChangeBody change={c} />
          </div>
        </div>
      ))}
    </Space>
  );
}

function ChangeBody({ change }: { change: DiffChange }) {
  if (change.hunks)
    return (
      <div className="zx-diff">
        {change.hunks.map((h, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a computed diff, shown in order, never reordered
          <span key={i} className={h.kind}>
            {(h.kind === 'added' ? '+ ' : h.kind === 'removed' ? '- ' : '  ') + h.text.replace(/\n$/, '').replace(/\n/g, '\n' + (h.kind === 'added' ? '+ ' : h.kind === 'removed' ? '- ' : '  '))}
          </span>
        ))}
      </div>
    );
  if (change.added || change.removed)
    return (
      <Space wrap size={[4, 4]}>
        {change.added?.map((x) => (
          <Tag key={`+${x}`} color="green">
            + {x}
          </Tag>
        ))}
        {change.removed?.map((x) => (
          <Tag key={`-${x}`} color="red" style={{ textDecoration: 'line-through' }}>
            {x}
          </Tag>
        ))}
      </Space>
    );
  return (
    <Space>
      <Tag color="red" style={{ textDecoration: 'line-through' }}>
        {String(change.before ?? '—')}
      </Tag>
      →
      <Tag color="green">{String(change.after ?? '—')}</Tag>
    </Space>
  );
}
