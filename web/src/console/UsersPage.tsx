import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Modal, Select, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { users } from '../api/endpoints';
import { ROLES, type User } from '../api/types';
import { formatDateTime, useI18n, type MessageKey } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';
import { RoleTags } from './labels';

/** Staff accounts: create, change roles or password, disable. */
export function UsersPage() {
  const { t, lang } = useI18n();
  const { data, error, isLoading, reload } = useLoad(() => users.list(), []);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  return (
    <Card title={t('console.users')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-add">{t('user.add')}</Button>}>
      <ErrorAlert error={error} />
      <Table<User>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('user.username'), dataIndex: 'username' },
          { title: t('user.displayName'), dataIndex: 'displayName' },
          { title: t('user.roles'), dataIndex: 'roles', render: (r: string[]) => <RoleTags roles={r} /> },
          { title: t('user.status'), width: 110, render: (_, u) => (u.isDisabled ? <Tag color="red">{t('user.disabled')}</Tag> : <Tag color="green">{t('user.active')}</Tag>) },
          { title: t('key.createdAt'), dataIndex: 'createdAt', width: 150, render: (d: string) => formatDateTime(d, lang) },
          { title: t('common.actions'), width: 80, render: (_, u) => <button type="button" className="zx-link" onClick={() => setEditing(u)}>{t('common.edit')}</button> },
        ]}
      />
      {editing && <UserModal user={editing === 'new' ? undefined : editing} onClose={(changed) => { setEditing(null); if (changed) reload(); }} />}
    </Card>
  );
}

function UserModal({ user, onClose }: { user?: User; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  async function onOk() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      if (user) {
        await users.update(user.id, {
          roles: v.roles,
          displayName: v.displayName?.trim() || undefined,
          password: v.password || undefined,
          isDisabled: v.isDisabled,
        });
      } else {
        await users.create({ username: v.username.trim(), password: v.password, roles: v.roles, displayName: v.displayName?.trim() || undefined });
      }
      onClose(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={user ? user.username : t('user.add')} onCancel={() => onClose(false)} onOk={onOk} confirmLoading={isBusy} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={user ? { roles: user.roles, displayName: user.displayName, isDisabled: user.isDisabled } : { roles: ['agent'] }}>
        {!user && (
          <Form.Item name="username" label={t('user.username')} rules={[{ required: true, pattern: /^[a-zA-Z0-9_.-]{2,64}$/, message: 'a-z 0-9 _ . - (2–64)' }]}>
            <Input autoComplete="off" data-testid="user-username" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('user.displayName')}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="roles" label={t('user.roles')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} data-testid="user-roles" />
        </Form.Item>
        <Form.Item name="password" label={user ? t('user.newPassword') : t('user.password')} rules={user ? [{ min: 8 }] : [{ required: true, min: 8 }]}>
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        {user && (
          <Form.Item name="isDisabled" label={t('user.disable')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
