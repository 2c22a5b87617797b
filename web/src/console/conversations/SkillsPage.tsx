import { PlusOutlined } from '@ant-design/icons';
import { App, Alert, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, TreeSelect, type ButtonProps } from 'antd';
import { useMemo, useState } from 'react';
import { kb } from '../../api/endpoints';
import { useI18n } from '../../i18n';
import { flattenCategories, toTreeData } from '../../portal/KnowledgeSearch';
import { ErrorAlert, useLoad } from '../../shell/common';
import { useSession } from '../../shell/session';
import { supervisionApi, type Skill } from '../../workspace/api';

/** Skills: the queues of the funnel, each serving some knowledge categories (and their sub-categories). */
export function SkillsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const isEditable = can('conversations.configure');
  const { data, error, isLoading, reload } = useLoad(() => supervisionApi.skills(), []);
  const { data: tree } = useLoad(() => kb.categories(), []);
  const names = useMemo(() => new Map(flattenCategories(tree?.items ?? []).map((c) => [c.id, c.path])), [tree]);
  const [editing, setEditing] = useState<Skill | 'new' | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  async function remove(id: string) {
    try {
      await supervisionApi.deleteSkill(id);
      message.success(t('common.saved'));
      reload();
    } catch (err) {
      setActionError(err);
    }
  }

  return (
    <Card
      title={t('cs.skills')}
      extra={
        isEditable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="skill-add">
            {t('cs.newSkill')}
          </Button>
        )
      }
    >
      <Alert type="info" showIcon title={t('cs.skillsHint')} style={{ marginBottom: 16 }} />
      <ErrorAlert error={error || actionError} />
      <Table<Skill>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('cs.position'), dataIndex: 'position', width: 70 },
          { title: t('cs.skillId'), dataIndex: 'id', width: 140, render: (id: string) => <Tag>{id}</Tag> },
          { title: t('cs.skillName'), dataIndex: 'name', width: 180 },
          { title: t('cs.skillCategories'), dataIndex: 'categories', render: (ids: string[]) => ids.map((id) => <Tag key={id} color="blue">{names.get(id) ?? id}</Tag>) },
          ...(isEditable
            ? [
                {
                  title: t('common.actions'),
                  width: 120,
                  render: (_: unknown, s: Skill) => (
                    <Space>
                      <button type="button" className="zx-link" onClick={() => setEditing(s)}>{t('common.edit')}</button>
                      <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(s.id)}>
                        <button type="button" className="zx-link" style={{ color: '#cf1322' }}>{t('common.delete')}</button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <SkillModal
          skill={editing === 'new' ? undefined : editing}
          treeData={tree ? toTreeData(tree.items) : []}
          nextPosition={(data?.items.length ?? 0) * 10}
          onClose={(changed) => {
            setEditing(null);
            if (changed) reload();
          }}
        />
      )}
    </Card>
  );
}

function SkillModal({ skill, treeData, nextPosition, onClose }: { skill?: Skill; treeData: ReturnType<typeof toTreeData>; nextPosition: number; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Skill>();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  async function onOk() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await supervisionApi.saveSkill(v.id, { name: v.name.trim(), categories: v.categories ?? [], position: v.position ?? 0 });
      onClose(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={skill ? t('cs.editSkill') : t('cs.newSkill')} onCancel={() => onClose(false)} onOk={onOk} confirmLoading={isBusy} destroyOnHidden okButtonProps={{ 'data-testid': 'skill-save' } as ButtonProps}>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={skill ?? { categories: [], position: nextPosition }}>
        <Form.Item name="id" label={t('cs.skillId')} extra={t('cs.skillIdHint')} rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_-]{0,63}$/, message: t('cs.skillIdHint') }]}>
          <Input disabled={Boolean(skill)} maxLength={64} data-testid="skill-id" />
        </Form.Item>
        <Form.Item name="name" label={t('cs.skillName')} rules={[{ required: true, whitespace: true, max: 50 }]}>
          <Input maxLength={50} data-testid="skill-name" />
        </Form.Item>
        <Form.Item name="categories" label={t('cs.skillCategories')}>
          <TreeSelect treeData={treeData} multiple treeDefaultExpandAll showSearch treeNodeFilterProp="title" allowClear data-testid="skill-categories" />
        </Form.Item>
        <Form.Item name="position" label={t('cs.position')}>
          <InputNumber min={0} max={10000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
