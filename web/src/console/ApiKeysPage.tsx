import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { apiKeys } from '../api/endpoints';
import { API_KEY_SCOPES, type ApiKey } from '../api/types';
import { formatDateTime, useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';

/** Partner applications' API keys: issue (the key is shown once) and revoke. */
export function ApiKeysPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { data, error, isLoading, reload } = useLoad(() => apiKeys.list(), []);
  const [isCreating, setCreating] = useState(false);
  const [issued, setIssued] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  async function revoke(id: string) {
    try {
      await apiKeys.revoke(id);
      message.success(t('key.revoked'));
      reload();
    } catch (err) {
      setActionError(err);
    }
  }

  return (
    <Card title={t('console.apiKeys')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="apikey-add">{t('key.issue')}</Button>}>
      <ErrorAlert error={error || actionError} />
      <Table<ApiKey>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('key.name'), dataIndex: 'name' },
          { title: t('key.prefix'), dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
          { title: t('key.scopes'), dataIndex: 'scopes', render: (s: string[]) => s.map((x) => <Tag key={x}>{x}</Tag>) },
          { title: t('key.rate'), dataIndex: 'rateLimitPerMinute', width: 110 },
          { title: t('key.createdBy'), dataIndex: 'createdBy', width: 140 },
          { title: t('key.createdAt'), dataIndex: 'createdAt', width: 150, render: (d: string) => formatDateTime(d, lang) },
          { title: t('user.status'), dataIndex: 'revokedAt', width: 100, render: (r: string | null) => (r ? <Tag color="red">{t('key.revoked')}</Tag> : <Tag color="green">{t('key.active')}</Tag>) },
          {
            title: t('common.actions'),
            width: 90,
            render: (_, k) => !k.revokedAt && (
              <Popconfirm title={`${t('key.revoke')}？`} onConfirm={() => revoke(k.id)}>
                <button type="button" className="zx-link" style={{ color: '#cf1322' }}>{t('key.revoke')}</button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {isCreating && <CreateKeyModal onClose={(key) => { setCreating(false); if (key) { setIssued(key); reload(); } }} />}
      <Modal open={issued !== null} title={t('key.issue')} onCancel={() => setIssued(null)} onOk={() => setIssued(null)} cancelButtonProps={{ style: { display: 'none' } }}>
        <Alert type="warning" showIcon title={t('key.shownOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable code style={{ wordBreak: 'break-all' }} data-testid="apikey-secret">
          {issued}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

function CreateKeyModal({ onClose }: { onClose: (key?: string) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  async function onOk() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const created = await apiKeys.create({ name: v.name.trim(), scopes: v.scopes, rateLimitPerMinute: v.rateLimitPerMinute ?? undefined });
      onClose(created.key);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={t('key.issue')} onCancel={() => onClose()} onOk={onOk} confirmLoading={isBusy} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={{ scopes: ['kb:read'] }}>
        <Form.Item name="name" label={t('key.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="scopes" label={t('key.scopes')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group options={API_KEY_SCOPES.map((s) => ({ value: s, label: s }))} />
        </Form.Item>
        <Form.Item name="rateLimitPerMinute" label={t('key.rate')}>
          <InputNumber min={1} max={100000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
