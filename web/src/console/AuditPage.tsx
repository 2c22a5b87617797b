import { Card, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { audit } from '../api/endpoints';
import type { AuditRecord } from '../api/types';
import { formatDateTime, useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';

/** Who did what, newest first. */
export function AuditPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const [action, setAction] = useState<string | undefined>();
  const { data, error, isLoading } = useLoad(() => audit.list(page, 20, action), [page, action]);
  return (
    <Card title={t('console.audit')} extra={<Input.Search allowClear placeholder={t('audit.filter')} style={{ width: 280 }} onSearch={(v) => { setAction(v.trim() || undefined); setPage(1); }} />}>
      <ErrorAlert error={error} />
      <Table<AuditRecord>
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 160, render: (d: string) => formatDateTime(d, lang) },
          { title: t('audit.actor'), dataIndex: 'actor', width: 180, ellipsis: true },
          { title: t('audit.action'), dataIndex: 'action', width: 180, render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
          { title: t('audit.subject'), width: 180, render: (_, r) => (r.subjectType ? `${r.subjectType}:${r.subjectId ?? ''}` : '') },
          { title: t('audit.detail'), dataIndex: 'detail', render: (d: Record<string, unknown>) => <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: JSON.stringify(d) }}>{JSON.stringify(d)}</Typography.Text> },
          { title: 'IP', dataIndex: 'ip', width: 120 },
        ]}
      />
    </Card>
  );
}
