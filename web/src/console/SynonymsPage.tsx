import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { synonyms } from '../api/endpoints';
import type { SynonymGroup } from '../api/types';
import { formatDateTime, useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';
import { useSession } from '../shell/session';

/** The synonym library the search expands queries with (社保 ↔ 社会保险). */
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
          { title: t('syn.updatedBy'), dataIndex: 'updatedBy', width: 140 },
          { title: t('entries.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (d: string) => formatDateTime(d, lang) },
          ...(isEditable
            ? [{
                title: t('common.actions'),
                width: 120,
                render: (_: unknown, g: SynonymGroup) => (
                  <Space>
                    <a onClick={() => setEditing(g)}>{t('common.edit')}</a>
                    <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(g.id)}>
                      <a style={{ color: '#cf1322' }}>{t('common.delete')}</a>
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
  async function onOk() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body = { term: v.term.trim(), synonyms: v.synonyms ?? [] };
      if (group) await synonyms.update(group.id, body);
      else await synonyms.create(body);
      onClose(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={group ? group.term : t('syn.add')} onCancel={() => onClose(false)} onOk={onOk} confirmLoading={isBusy} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={group ?? { synonyms: [] }}>
        <Form.Item name="term" label={t('syn.term')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="synonyms" label={t('syn.synonyms')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select mode="tags" open={false} tokenSeparators={[',', '，', ' ']} placeholder={t('editor.similarHint')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
