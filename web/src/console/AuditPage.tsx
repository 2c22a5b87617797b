import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { AuditRecord, Page } from '../api/types';
import { formatDateTime, useI18n, type MessageKey, type Translate } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';

const PAGE_SIZE = 20;
/** The API's largest page, used when exporting. */
const EXPORT_PAGE_SIZE = 200;
/** An export reads at most this many rows: enough for an inquiry, small enough for a browser tab. */
export const EXPORT_CAP = 5000;

/** What the log is searched by; an action ending in "." matches every action it begins. */
export interface AuditFilter {
  action?: string;
  actor?: string;
  subjectId?: string;
}

const listAudit = (filter: AuditFilter, page: number, pageSize: number) => api.get<Page<AuditRecord>>('/api/v1/audit', { ...filter, page, pageSize });

/** Quick filters: the personal-information reads an inquiry usually starts from, and citizens' sign-ins. */
const PRESETS: { action: string; label: MessageKey }[] = [
  { action: 'records.', label: 'rec.audit.preset.records' },
  { action: 'citizen.', label: 'rec.audit.preset.citizen' },
];

/** Actions with a readable name; others are shown as their code. */
const ACTION_LABELS: Record<string, MessageKey> = {
  'records.read': 'rec.audit.records.read',
  'records.unmask': 'rec.audit.records.unmask',
  'records.self_read': 'rec.audit.records.self_read',
  'records.import': 'rec.audit.records.import',
  'records.statement_issued': 'rec.audit.records.statement_issued',
  'citizen.bind_channel': 'rec.audit.citizen.bind_channel',
  'citizen.unbind_channel': 'rec.audit.citizen.unbind_channel',
  'citizen.login': 'rec.audit.citizen.login',
  'citizen.login_failed': 'rec.audit.citizen.login_failed',
  'citizen.logout': 'rec.audit.citizen.logout',
  'citizen.logout_all': 'rec.audit.citizen.logout_all',
};

const FIELD_LABELS: Record<string, MessageKey> = { idNumber: 'rec.audit.field.idNumber', phone: 'rec.audit.field.phone', name: 'rec.audit.field.name' };

/** "显示完整信息（手机号）": an unmask names its field. */
export function actionLabel(t: Translate, row: Pick<AuditRecord, 'action' | 'detail'>) {
  const key = ACTION_LABELS[row.action];
  if (!key) return row.action;
  const field = FIELD_LABELS[String(row.detail.what)];
  return row.action === 'records.unmask' && field ? `${t(key)}（${t(field)}）` : t(key);
}

/** The reason of a staff read as typed, or a failed sign-in's cause in words. */
function reasonOf(t: Translate, row: AuditRecord) {
  const reason = row.detail.reason;
  if (typeof reason !== 'string' || !reason) return '';
  if (row.action === 'citizen.login_failed') {
    const key = `rec.audit.loginFailed.${reason}` as MessageKey;
    return t(key) === key ? reason : t(key);
  }
  return reason;
}

const conversationOf = (row: AuditRecord) => (typeof row.detail.conversationId === 'string' ? row.detail.conversationId : '');
/** What is left of the detail once reason, conversation and field have their own columns. */
function otherDetail(row: AuditRecord) {
  const { reason: _reason, conversationId: _conversationId, ...rest } = row.detail;
  if (ACTION_LABELS[row.action]) delete rest.what;
  return Object.keys(rest).length ? JSON.stringify(rest) : '';
}

/** A spreadsheet would run a cell beginning with = + - @ as a formula: such text is kept as text. */
function csvCell(value: string) {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV with a byte-order mark, so Excel opens the Chinese text correctly. */
export function auditCsv(t: Translate, rows: AuditRecord[]) {
  const header = [t('audit.at'), t('audit.actor'), t('audit.action'), t('rec.audit.actionName'), t('rec.audit.subjectType'), t('rec.audit.subjectId'), t('rec.audit.reason'), t('rec.audit.conversation'), 'IP', t('audit.detail')];
  const lines = rows.map((r) => [r.at, r.actor, r.action, actionLabel(t, r), r.subjectType ?? '', r.subjectId ?? '', reasonOf(t, r), conversationOf(r), r.ip ?? '', otherDetail(r)].map(csvCell).join(','));
  return `\uFEFF${[header.map(csvCell).join(','), ...lines].join('\r\n')}\r\n`;
}

/** Reads every page of the filter, up to the cap; rows that moved between pages while reading are kept once. */
async function fetchForExport(filter: AuditFilter) {
  const rows = new Map<string, AuditRecord>();
  let total = 0;
  for (let page = 1; rows.size < EXPORT_CAP; page++) {
    const answer = await listAudit(filter, page, EXPORT_PAGE_SIZE);
    total = answer.total;
    for (const row of answer.items) if (rows.size < EXPORT_CAP) rows.set(row.id, row);
    if (answer.items.length < EXPORT_PAGE_SIZE || page * EXPORT_PAGE_SIZE >= total) break;
  }
  return { rows: [...rows.values()], total };
}

function download(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Who typed a bare username means that staff member. */
const actorQuery = (text: string) => (!text ? undefined : text.includes(':') ? text : `user:${text}`);

/** Who did what, newest first; searched by action, by who did it or by whose record, and exported as CSV. */
export function AuditPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [form] = Form.useForm<{ action?: string; actor?: string; subjectId?: string }>();
  const [isExporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const { data, error, isLoading } = useLoad(() => listAudit(filter, page, PAGE_SIZE), [page, filter]);

  function apply(values: { action?: string; actor?: string; subjectId?: string }) {
    setFilter({ action: values.action?.trim() || undefined, actor: actorQuery(values.actor?.trim() ?? ''), subjectId: values.subjectId?.trim() || undefined });
    setPage(1);
  }
  function setFields(values: Partial<AuditFilter>) {
    form.setFieldsValue(values);
    apply(form.getFieldsValue());
  }

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      const { rows, total } = await fetchForExport(filter);
      const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
      download(auditCsv(t, rows), `audit-${stamp}.csv`);
      if (total > rows.length) message.warning(t('rec.audit.exportCapped', { n: rows.length, total }));
      else message.success(t('rec.audit.exported', { n: rows.length }));
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  }

  return (
    <Card
      title={t('console.audit')}
      extra={
        <Button icon={<DownloadOutlined />} loading={isExporting} onClick={() => void exportCsv()} data-testid="audit-export">
          {t('rec.audit.export')}
        </Button>
      }
    >
      <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 12, rowGap: 8 }} data-testid="audit-filters">
        <Form.Item name="action">
          <Input allowClear placeholder={t('rec.audit.actionPlaceholder')} style={{ width: 220 }} data-testid="audit-filter-action" />
        </Form.Item>
        <Form.Item name="actor">
          <Input allowClear placeholder={t('rec.audit.actorPlaceholder')} style={{ width: 200 }} data-testid="audit-filter-actor" />
        </Form.Item>
        <Form.Item name="subjectId">
          <Input allowClear placeholder={t('rec.audit.subjectPlaceholder')} style={{ width: 220 }} data-testid="audit-filter-subject" />
        </Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
            {t('rec.audit.search')}
          </Button>
          <Button onClick={() => setFields({ action: undefined, actor: undefined, subjectId: undefined })}>{t('rec.audit.reset')}</Button>
          {PRESETS.map((p) => (
            <Button key={p.action} type={filter.action === p.action ? 'primary' : 'dashed'} ghost={filter.action === p.action} onClick={() => setFields({ action: p.action })} data-testid={`audit-preset-${p.action.replace(/\.$/, '')}`}>
              {t(p.label)} <Typography.Text code style={{ marginInlineStart: 4 }}>{p.action}</Typography.Text>
            </Button>
          ))}
        </Space>
      </Form>
      <ErrorAlert error={error || exportError} />
      <Table<AuditRecord>
        rowKey="id"
        size="small"
        loading={isLoading}
        dataSource={data?.items ?? []}
        scroll={{ x: 1200 }}
        onRow={(r) => ({ 'data-testid': 'audit-row', 'data-action': r.action, 'data-actor': r.actor }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 150, render: (d: string) => formatDateTime(d, lang) },
          { title: t('audit.actor'), dataIndex: 'actor', width: 160, ellipsis: true },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            width: 200,
            render: (_, r) => (
              <span>
                {ACTION_LABELS[r.action] ? <Tag color={r.action.startsWith('records.') ? 'orange' : 'blue'}>{actionLabel(t, r)}</Tag> : null}
                <Typography.Text code style={{ fontSize: 12 }}>{r.action}</Typography.Text>
              </span>
            ),
          },
          {
            title: t('audit.subject'),
            width: 200,
            ellipsis: true,
            render: (_, r) =>
              r.subjectId ? (
                // a click narrows the log to everything about that subject (whose record it was)
                <a onClick={() => setFields({ subjectId: r.subjectId ?? undefined })} title={t('rec.audit.bySubject')}>
                  {r.subjectType ? `${r.subjectType}:` : ''}
                  {r.subjectId}
                </a>
              ) : (
                (r.subjectType ?? '')
              ),
          },
          { title: t('rec.audit.reason'), width: 180, render: (_, r) => <span data-testid="audit-reason">{reasonOf(t, r)}</span> },
          { title: t('rec.audit.conversation'), width: 140, ellipsis: true, render: (_, r) => <span data-testid="audit-conversation">{conversationOf(r)}</span> },
          { title: t('audit.detail'), render: (_, r) => <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: otherDetail(r) }}>{otherDetail(r)}</Typography.Text> },
          { title: 'IP', dataIndex: 'ip', width: 120 },
        ]}
      />
    </Card>
  );
}
