import { App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { kb, suggestions } from '../api/endpoints';
import type { Suggestion } from '../api/types';
import { formatDateTime, useI18n, type MessageKey } from '../i18n';
import { toTreeData } from '../portal/KnowledgeSearch';
import { ErrorAlert, useLoad } from '../shell/common';

const SOURCES = ['citizen', 'agent', 'robot_learning', 'partner'];

/** Corrections from citizens and proposals from agents: accept (creates a draft) or reject. */
export function SuggestionsPage() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<'pending' | 'accepted' | 'rejected'>('pending');
  const [page, setPage] = useState(1);
  const { data, error, isLoading, reload } = useLoad(() => suggestions.list(status, page), [status, page]);
  const [reviewing, setReviewing] = useState<{ s: Suggestion; decision: 'accept' | 'reject' } | null>(null);

  return (
    <Card
      title={t('console.suggestions')}
      extra={
        <Segmented
          value={status}
          onChange={(v) => { setStatus(v as typeof status); setPage(1); }}
          options={[{ value: 'pending', label: t('sug.pending') }, { value: 'accepted', label: t('sug.accepted') }, { value: 'rejected', label: t('sug.rejected') }]}
        />
      }
    >
      <ErrorAlert error={error} />
      <Table<Suggestion>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: 50, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('sug.kind'), dataIndex: 'kind', width: 110, render: (k: string) => <Tag color={k === 'correction' ? 'volcano' : k.startsWith('new_entry') ? 'green' : 'blue'}>{t(`sug.kind.${k}` as MessageKey)}</Tag> },
          {
            title: t('sug.content'),
            render: (_, s) => <SuggestionContent s={s} />,
          },
          { title: t('sug.source'), dataIndex: 'source', width: 110, render: (src: string) => (SOURCES.includes(src) ? t(`sug.source.${src}` as MessageKey) : src) },
          { title: t('sug.submittedBy'), dataIndex: 'submittedBy', width: 150, ellipsis: true },
          { title: t('entries.updatedAt'), dataIndex: 'createdAt', width: 150, render: (d: string) => formatDateTime(d, lang) },
          {
            title: t('common.actions'),
            width: 150,
            render: (_, s) =>
              s.status === 'pending' ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => setReviewing({ s, decision: 'accept' })} data-testid={`suggestion-accept-${s.id}`}>{t('sug.accept')}</Button>
                  <Button size="small" danger onClick={() => setReviewing({ s, decision: 'reject' })}>{t('sug.reject')}</Button>
                </Space>
              ) : (
                <Space orientation="vertical" size={0}>
                  <Typography.Text type="secondary">{s.reviewedBy}</Typography.Text>
                  {s.resultEntryId && <Link to={`/console/entries/${encodeURIComponent(s.resultEntryId)}`}>{t('sug.result', { id: s.resultEntryId })}</Link>}
                  {s.reviewNote && <Typography.Text type="secondary">{s.reviewNote}</Typography.Text>}
                </Space>
              ),
          },
        ]}
      />
      {reviewing && <ReviewModal {...reviewing} onClose={(changed) => { setReviewing(null); if (changed) reload(); }} />}
    </Card>
  );
}

function SuggestionContent({ s }: { s: Suggestion }) {
  const { t } = useI18n();
  const p = s.payload as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join('；') : '');
  return (
    <Space orientation="vertical" size={2} style={{ maxWidth: 520 }}>
      {s.entryId && (
        <Link to={`/console/entries/${encodeURIComponent(s.entryId)}`}>
          <Typography.Text code>{s.entryId}</Typography.Text>
        </Link>
      )}
      {str(p.question) && <Typography.Text strong>{str(p.question)}</Typography.Text>}
      {str(p.text) && <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>{str(p.text)}</Typography.Paragraph>}
      {str(p.answer) && <Typography.Paragraph type="secondary" style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>{str(p.answer)}</Typography.Paragraph>}
      {Array.isArray(p.conversationIds) && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('robot.fromConversations', { n: p.conversationIds.length })}</Typography.Text>}
      {str(p.similar) && <Typography.Text type="secondary">≈ {str(p.similar)}</Typography.Text>}
      {str(p.contact) && <Typography.Text type="secondary">☎ {str(p.contact)}</Typography.Text>}
    </Space>
  );
}

export function ReviewModal({ s, decision, onClose }: { s: Suggestion; decision: 'accept' | 'reject'; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const needsCategory = decision === 'accept' && !s.entryId;
  const { data: tree } = useLoad(() => (needsCategory ? kb.categories() : Promise.resolve({ items: [] })), [needsCategory]);
  async function onOk() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await suggestions.review(s.id, { decision, note: v.note?.trim() || undefined, categoryId: needsCategory ? v.categoryId : undefined });
      message.success(t('sug.done'));
      onClose(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={decision === 'accept' ? t('sug.accept') : t('sug.reject')} onCancel={() => onClose(false)} onOk={onOk} confirmLoading={isBusy} okButtonProps={{ danger: decision === 'reject' }} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={{ categoryId: (s.payload as { categoryId?: string }).categoryId }}>
        {needsCategory && (
          <Form.Item name="categoryId" label={t('sug.category')} rules={decision === 'accept' ? [{ required: true, message: t('sug.categoryRequired') }] : []}>
            <TreeSelect allowClear treeData={toTreeData(tree?.items ?? [])} treeDefaultExpandAll />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('sug.note')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
