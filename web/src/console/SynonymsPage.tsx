import { EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { SynonymPreview } from '../../../server/src/knowledge/schema';
import { api } from '../api/client';
import { synonyms } from '../api/endpoints';
import type { SynonymGroup as ListedGroup } from '../api/types';
import { formatDateTime, useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';
import { useSession } from '../shell/session';

/** A group as the server presents it, with the words near which its colloquial forms apply (empty: everywhere). */
type SynonymGroup = ListedGroup & { context?: string[] };
interface SynonymGroupBody {
  term: string;
  synonyms: string[];
  context: string[];
}
/** Saving and previewing carry the group's context (server/src/knowledge/schema.ts synonymBody). */
const synonymApi = {
  create: (body: SynonymGroupBody) => api.post<SynonymGroup>('/api/v1/kb/synonyms', body),
  update: (id: string, body: SynonymGroupBody) => api.put<SynonymGroup>(`/api/v1/kb/synonyms/${encodeURIComponent(id)}`, body),
  preview: (body: SynonymGroupBody & { id?: string }) => api.post<SynonymPreview>('/api/v1/kb/synonyms/preview', body),
};
type PreviewRow = SynonymPreview['changed'][number];

/** The synonym library the search and the robot expand questions with (社保 ↔ 社会保险), some groups only near context words. */
export function SynonymsPage() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const { data, error, isLoading, reload } = useLoad(() => synonyms.list(), []);
  const [editing, setEditing] = useState<SynonymGroup | 'new' | null>(null);
  const [filter, setFilter] = useState('');
  const [actionError, setActionError] = useState<unknown>(null);
  const isEditable = can('kb.synonyms');
  const items = useMemo(() => {
    const f = filter.trim();
    return (data?.items ?? []).filter((g) => !f || g.term.includes(f) || g.synonyms.some((s) => s.includes(f)));
  }, [data, filter]);

  async function remove(id: string) {
    try {
      await synonyms.remove(id);
      message.success(t('common.saved'));
      reload();
    } catch (err) {
      setActionError(err);
    }
  }

  return (
    <Card
      title={t('console.synonyms')}
      extra={
        <Space>
          <Input.Search allowClear placeholder={t('common.search')} onSearch={setFilter} style={{ width: 200 }} />
          {isEditable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="synonym-add">
              {t('syn.add')}
            </Button>
          )}
        </Space>
      }
    >
      <ErrorAlert error={error || actionError} />
      <Table<SynonymGroup>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={items}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          { title: t('syn.term'), dataIndex: 'term', width: 160, render: (s: string) => <Tag color="blue">{s}</Tag> },
          { title: t('syn.synonyms'), dataIndex: 'synonyms', render: (list: string[]) => list.map((s) => <Tag key={s}>{s}</Tag>) },
          {
            title: t('syn.context'),
            dataIndex: 'context',
            width: 220,
            render: (list: string[] | undefined) => (list?.length ? list.map((s) => <Tag key={s} color="gold">{s}</Tag>) : <Typography.Text type="secondary">{t('syn.everywhere')}</Typography.Text>),
          },
          { title: t('syn.updatedBy'), dataIndex: 'updatedBy', width: 140 },
          { title: t('entries.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (d: string) => formatDateTime(d, lang) },
          ...(isEditable
            ? [{
                title: t('common.actions'),
                width: 120,
                render: (_: unknown, g: SynonymGroup) => (
                  <Space>
                    <button type="button" className="zx-link" onClick={() => setEditing(g)}>{t('common.edit')}</button>
                    <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(g.id)}>
                      <button type="button" className="zx-link" style={{ color: '#cf1322' }}>{t('common.delete')}</button>
                    </Popconfirm>
                  </Space>
                ),
              }]
            : []),
        ]}
      />
      {editing && <SynonymModal group={editing === 'new' ? undefined : editing} onClose={(changed) => { setEditing(null); if (changed) reload(); }} />}
    </Card>
  );
}

function SynonymModal({ group, onClose }: { group?: SynonymGroup; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const [isPreviewing, setPreviewing] = useState(false);
  const [preview, setPreview] = useState<SynonymPreview | null>(null);
  async function bodyOf(): Promise<SynonymGroupBody> {
    const v = await form.validateFields();
    return { term: v.term.trim(), synonyms: v.synonyms ?? [], context: v.context ?? [] };
  }
  async function onOk() {
    const body = await bodyOf();
    setBusy(true);
    try {
      if (group) await synonymApi.update(group.id, body);
      else await synonymApi.create(body);
      onClose(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function onPreview() {
    const body = await bodyOf();
    setPreviewing(true);
    setError(null);
    try {
      setPreview(await synonymApi.preview({ ...body, ...(group ? { id: group.id } : {}) }));
    } catch (err) {
      setError(err);
    } finally {
      setPreviewing(false);
    }
  }
  return (
    <Modal
      open
      width={preview ? 980 : 560}
      title={group ? group.term : t('syn.add')}
      onCancel={() => onClose(false)}
      destroyOnHidden
      footer={[
        <Button key="preview" icon={<EyeOutlined />} loading={isPreviewing} onClick={onPreview} data-testid="synonym-preview">
          {t('syn.preview')}
        </Button>,
        <Button key="cancel" onClick={() => onClose(false)}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={isBusy} onClick={onOk}>
          {t('common.save')}
        </Button>,
      ]}
    >
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={group ? { ...group, context: group.context ?? [] } : { synonyms: [], context: [] }} onValuesChange={() => setPreview(null)}>
        <Form.Item name="term" label={t('syn.term')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="synonyms" label={t('syn.synonyms')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select mode="tags" open={false} tokenSeparators={[',', '，', ' ']} placeholder={t('editor.similarHint')} />
        </Form.Item>
        <Form.Item
          name="context"
          label={t('syn.context')}
          extra={t('syn.contextHint')}
          rules={[
            { type: 'array', max: 30 },
            { validator: async (_, words: string[] | undefined) => { if ((words ?? []).some((w) => w.trim().length > 20)) throw new Error('≤ 20'); } },
          ]}
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', ' ']} placeholder={t('syn.everywhere')} data-testid="synonym-context" />
        </Form.Item>
      </Form>
      {preview && <PreviewTable preview={preview} />}
    </Modal>
  );
}

/** What saving would change: each affected question, its synonyms and best entry now and after saving. */
function PreviewTable({ preview }: { preview: SynonymPreview }) {
  const { t } = useI18n();
  const side = (s: PreviewRow['before']) => (
    <div>
      <div>{s.top ? <><Tag>{s.top.entryId}</Tag>{s.top.question}</> : <Typography.Text type="secondary">{t('syn.noEntry')}</Typography.Text>}</div>
      <div style={{ marginTop: 4 }}>{s.synonyms.map((h) => <Tag key={h.phrase} color="blue">{h.phrase} → {h.term}</Tag>)}</div>
    </div>
  );
  return (
    <div data-testid="synonym-preview-result">
      <Typography.Title level={5}>{t('syn.previewTitle')}</Typography.Title>
      <Alert
        type={preview.answerChangedCount ? 'warning' : 'info'}
        showIcon
        style={{ marginBottom: 12 }}
        message={preview.changedCount ? t('syn.previewSummary', { sampled: preview.sampled, changed: preview.changedCount, answers: preview.answerChangedCount }) : t('syn.previewNone')}
        description={preview.ranked < preview.changedCount ? t('syn.previewPartial', { ranked: preview.ranked }) : undefined}
      />
      {preview.changed.length > 0 && (
        <Table<PreviewRow>
          rowKey="question"
          size="small"
          dataSource={preview.changed}
          pagination={{ pageSize: 10, showSizeChanger: false }}
          onRow={(r) => ({ style: r.answerChanged ? { background: '#fff7e6' } : undefined })}
          columns={[
            {
              title: t('syn.question'),
              dataIndex: 'question',
              render: (q: string, r) => (
                <div>
                  <div>{q}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.source === 'log' ? t('syn.sourceLog', { n: r.asked }) : t('syn.sourceSimilar')}</Typography.Text>
                  {r.answerChanged && <Tag color="orange" style={{ marginLeft: 8 }}>{t('syn.answerChanged')}</Tag>}
                </div>
              ),
            },
            { title: t('syn.before'), width: 300, render: (_: unknown, r) => side(r.before) },
            { title: t('syn.after'), width: 300, render: (_: unknown, r) => side(r.after) },
          ]}
        />
      )}
    </div>
  );
}
