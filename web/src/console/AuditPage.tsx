import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Card, Form, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../api/client';
import type { AuditRecord, Page } from '../api/types';
import { formatDateTime, useI18n, type MessageKey, type Translate } from '../i18n';
import { zh } from '../i18n/messages';
import { ErrorAlert, useLoad } from '../shell/common';
import { actionLabel, actorLabel, auditActionKey, subjectKindLabel } from './audit-labels';

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

/** Every action the web has words for, as options of the action filter (the code is what is searched). */
const ACTION_CODES = Object.keys(zh)
  .filter((key) => key.startsWith('audit.action.'))
  .map((key) => key.slice('audit.action.'.length));

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
const hasDetail = (row: AuditRecord) => Object.keys(row.detail).length > 0;

/** A spreadsheet would run a cell beginning with = + - @ as a formula: such text is kept as text. */
function csvCell(value: string) {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV with a byte-order mark, so Excel opens the Chinese text correctly. */
export function auditCsv(t: Translate, rows: AuditRecord[]) {
  // the raw codes for whoever filters the sheet, each beside its words for whoever reads it
  const header = [t('audit.at'), t('audit.actor'), t('audit.csv.actorName'), t('audit.action'), t('rec.audit.actionName'), t('rec.audit.subjectType'), t('audit.csv.subjectKind'), t('rec.audit.subjectId'), t('audit.csv.subjectName'), t('rec.audit.reason'), t('rec.audit.conversation'), 'IP', t('audit.detail')];
  const lines = rows.map((r) =>
    [r.at, r.actor, actorLabel(t, r), r.action, actionLabel(t, r), r.subjectType ?? '', subjectKindLabel(t, r.subjectType), r.subjectId ?? '', r.subjectName ?? '', reasonOf(t, r), conversationOf(r), r.ip ?? '', hasDetail(r) ? JSON.stringify(r.detail) : '']
      .map(csvCell)
      .join(','),
  );
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
  const [expanded, setExpanded] = useState<string[]>([]);
  const actionOptions = useMemo(() => ACTION_CODES.map((code) => ({ value: code, label: `${t(`audit.action.${code}` as MessageKey)} · ${code}` })), [t]);
  const toggleDetail = (id: string) => setExpanded((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));

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
          <AutoComplete options={actionOptions} filterOption={(text, option) => String(option?.label ?? '').toLowerCase().includes(text.toLowerCase())} popupMatchSelectWidth={320} style={{ width: 240 }}>
            <Input allowClear placeholder={t('rec.audit.actionPlaceholder')} data-testid="audit-filter-action" />
          </AutoComplete>
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
              {t(p.label)}
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
        expandable={{
          expandedRowKeys: expanded,
          showExpandColumn: false,
          // the raw record, for an inquiry: what the columns above put in words
          expandedRowRender: (r) => (
            <pre className="zx-audit-detail" data-testid="audit-detail-json" style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {JSON.stringify(r.detail, null, 2)}
            </pre>
          ),
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 170, render: (d: string) => formatDateTime(d, lang) },
          {
            title: t('audit.actor'),
            width: 170,
            ellipsis: true,
            render: (_, r) => (
              <Tooltip title={t('audit.rawActor', { actor: r.actor })}>
                <span data-testid="audit-actor">{actorLabel(t, r)}</span>
              </Tooltip>
            ),
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            width: 200,
            render: (_, r) => (
              <Tooltip title={t('audit.rawCode', { code: r.action })}>
                {auditActionKey(r.action) ? (
                  <Tag color={r.action.startsWith('records.') ? 'orange' : 'blue'} data-testid="audit-action">
                    {actionLabel(t, r)}
                  </Tag>
                ) : (
                  <Typography.Text code style={{ fontSize: 12 }} data-testid="audit-action">
                    {r.action}
                  </Typography.Text>
                )}
              </Tooltip>
            ),
          },
          {
            title: t('audit.subject'),
            width: 240,
            ellipsis: true,
            render: (_, r) =>
              r.subjectId ? (
                // a click narrows the log to everything about that subject (whose record it was)
                <Tooltip title={`${t('rec.audit.bySubject')} · ${r.subjectType ?? ''}:${r.subjectId}`}>
                  <button type="button" className="zx-link" onClick={() => setFields({ subjectId: r.subjectId ?? undefined })} data-testid="audit-subject">
                    <Typography.Text type="secondary">{subjectKindLabel(t, r.subjectType)}</Typography.Text> {r.subjectName ?? r.subjectId}
                  </button>
                </Tooltip>
              ) : (
                subjectKindLabel(t, r.subjectType)
              ),
          },
          { title: t('rec.audit.reason'), width: 180, render: (_, r) => <span data-testid="audit-reason">{reasonOf(t, r)}</span> },
          { title: t('rec.audit.conversation'), width: 140, ellipsis: true, render: (_, r) => <span data-testid="audit-conversation">{conversationOf(r)}</span> },
          { title: 'IP', dataIndex: 'ip', width: 120 },
          {
            title: t('audit.detail'),
            width: 90,
            render: (_, r) =>
              hasDetail(r) ? (
                <Button type="link" size="small" onClick={() => toggleDetail(r.id)} aria-expanded={expanded.includes(r.id)} data-testid="audit-detail-toggle">
                  {expanded.includes(r.id) ? t('audit.hideDetail') : t('audit.showDetail')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
