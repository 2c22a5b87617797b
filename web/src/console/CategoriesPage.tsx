import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { categories, kb } from '../api/endpoints';
import type { CategoryNode } from '../api/types';
import { useI18n } from '../i18n';
import { toTreeData } from '../portal/KnowledgeSearch';
import { ErrorAlert, useLoad } from '../shell/common';

interface Editing {
  node?: CategoryNode;
  parent?: string | null;
}

/** The category tree: create, rename, move, reorder, delete empty categories. */
export function CategoriesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, error, isLoading, reload } = useLoad(() => kb.categories(), []);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  async function remove(id: string) {
    setActionError(null);
    try {
      await categories.remove(id);
      message.success(t('common.saved'));
      reload();
    } catch (err) {
      setActionError(err);
    }
  }

  const strip = (nodes: CategoryNode[]): any[] => nodes.map((n) => ({ ...n, children: n.children.length ? strip(n.children) : undefined }));
  return (
    <Card title={t('console.categories')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ parent: null })} data-testid="category-add">{t('cat.add')}</Button>}>
      <ErrorAlert error={error || actionError} />
      <Table<CategoryNode>
        rowKey="id"
        size="middle"
        loading={isLoading}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        dataSource={strip(data?.items ?? [])}
        columns={[
          { title: t('cat.name'), dataIndex: 'name' },
          { title: t('cat.id'), dataIndex: 'id', render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
          { title: t('cat.count'), dataIndex: 'entryCount', width: 90, render: (n?: number) => n ?? 0 },
          { title: t('cat.position'), dataIndex: 'position', width: 80 },
          {
            title: t('common.actions'),
            width: 240,
            render: (_, node) => (
              <Space>
                <button type="button" className="zx-link" onClick={() => setEditing({ parent: node.id })}>{t('cat.addChild')}</button>
                <button type="button" className="zx-link" onClick={() => setEditing({ node })}>{t('common.edit')}</button>
                <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(node.id)}>
                  <button type="button" className="zx-link" style={{ color: '#cf1322' }}>{t('common.delete')}</button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && <CategoryModal editing={editing} tree={data?.items ?? []} onClose={(changed) => { setEditing(null); if (changed) reload(); }} />}
    </Card>
  );
}

function CategoryModal({ editing, tree, onClose }: { editing: Editing; tree: CategoryNode[]; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const node = editing.node;

  async function onOk() {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const parent = v.parent || null;
      if (node) await categories.update(node.id, { name: v.name, parent, position: v.position ?? 0 });
      else await categories.create({ id: v.id, name: v.name, parent, position: v.position ?? 0 });
      onClose(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={node ? `${t('common.edit')} · ${node.name}` : t('cat.add')} onCancel={() => onClose(false)} onOk={onOk} confirmLoading={isBusy} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={node ? { name: node.name, parent: node.parent ?? undefined, position: node.position } : { parent: editing.parent ?? undefined, position: 0 }}>
        {!node && (
          <Form.Item name="id" label={t('cat.id')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]+$/, message: 'A-Z a-z 0-9 _ . -' }]}>
            <Input maxLength={64} data-testid="category-id" />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('cat.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} data-testid="category-name" />
        </Form.Item>
        <Form.Item name="parent" label={t('cat.parent')}>
          <TreeSelect allowClear placeholder={t('cat.root')} treeData={toTreeData(tree)} treeDefaultExpandAll />
        </Form.Item>
        <Form.Item name="position" label={t('cat.position')}>
          <InputNumber min={0} max={100000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
