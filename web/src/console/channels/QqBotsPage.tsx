import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Typography, type ButtonProps } from 'antd';
import { useState } from 'react';
import { qqApi, webhookUrlOf, type QqBot, type QqBotInput } from '../../api/qq';
import { useI18n } from '../../i18n';
import { ErrorAlert, useLoad } from '../../shell/common';

const DEFAULT_API_BASE_URL = 'https://api.sgroup.qq.com';
const DEFAULT_TOKEN_URL = 'https://bots.qq.com/app/getAppAccessToken';

/** QQ bots of the QQ bot platform: add, edit and delete them, and copy each one's callback address. */
export function QqBotsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, error, isLoading, reload } = useLoad(() => qqApi.list(), []);
  const [editing, setEditing] = useState<QqBot | 'new' | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  async function remove(bot: QqBot) {
    setActionError(null);
    try {
      await qqApi.remove(bot.id);
      message.success(t('qq.deleted'));
      reload();
    } catch (err) {
      setActionError(err);
    }
  }

  return (
    <Card
      title={t('qq.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="qq-add">
          {t('qq.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('qq.help')}</Typography.Paragraph>
      <ErrorAlert error={error || actionError} />
      <Table<QqBot>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('qq.name'), dataIndex: 'name', width: 180 },
          { title: t('qq.appId'), dataIndex: 'appId', width: 150, render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
          { title: t('qq.activeAllowance'), dataIndex: 'activeAllowance', width: 130 },
          {
            title: t('qq.webhook'),
            render: (_, bot) => (
              <Typography.Paragraph copyable code style={{ marginBottom: 0, wordBreak: 'break-all' }} data-testid={`qq-webhook-${bot.id}`}>
                {webhookUrlOf(bot)}
              </Typography.Paragraph>
            ),
          },
          {
            title: t('common.actions'),
            width: 130,
            render: (_, bot) => (
              <Space>
                <button type="button" className="zx-link" onClick={() => setEditing(bot)} data-testid={`qq-edit-${bot.id}`}>
                  {t('common.edit')}
                </button>
                <Popconfirm title={t('qq.deleteConfirm')} onConfirm={() => remove(bot)} okButtonProps={{ danger: true, 'data-testid': 'qq-delete-confirm' } as ButtonProps}>
                  <button type="button" className="zx-link" style={{ color: '#cf1322' }} data-testid={`qq-delete-${bot.id}`}>
                    {t('common.delete')}
                  </button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <BotModal
          bot={editing === 'new' ? undefined : editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) {
              message.success(t(editing === 'new' ? 'qq.created' : 'qq.saved'));
              reload();
            }
          }}
        />
      )}
    </Card>
  );
}

interface BotForm {
  name: string;
  appId: string;
  appSecret?: string;
  apiBaseUrl?: string;
  tokenUrl?: string;
  activeAllowance?: number | null;
}

/** Adds a bot, or edits one: the secret field is then empty, and left empty it keeps the stored secret. */
function BotModal({ bot, onClose }: { bot?: QqBot; onClose: (saved?: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<BotForm>();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const isNew = !bot;

  async function onOk() {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const body: QqBotInput = {
        name: v.name.trim(),
        appId: v.appId.trim(),
        // an empty address means the platform's default (the server fills it in for a new bot)
        apiBaseUrl: v.apiBaseUrl?.trim() || (isNew ? undefined : DEFAULT_API_BASE_URL),
        tokenUrl: v.tokenUrl?.trim() || (isNew ? undefined : DEFAULT_TOKEN_URL),
        activeAllowance: v.activeAllowance ?? undefined,
      };
      const secret = v.appSecret?.trim();
      if (secret) body.appSecret = secret;
      if (bot) await qqApi.update(bot.id, body);
      else await qqApi.create(body);
      onClose(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={isNew ? t('qq.add') : t('qq.edit')} onCancel={() => onClose()} onOk={onOk} confirmLoading={isBusy} destroyOnHidden okButtonProps={{ 'data-testid': 'qq-save' } as ButtonProps}>
      <ErrorAlert error={error} />
      <Form<BotForm>
        form={form}
        layout="vertical"
        initialValues={bot ? { name: bot.name, appId: bot.appId, apiBaseUrl: bot.apiBaseUrl, tokenUrl: bot.tokenUrl, activeAllowance: bot.activeAllowance } : { activeAllowance: 4 }}
      >
        <Form.Item name="name" label={t('qq.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} data-testid="qq-name" />
        </Form.Item>
        <Form.Item name="appId" label={t('qq.appId')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={64} data-testid="qq-app-id" />
        </Form.Item>
        <Form.Item
          name="appSecret"
          label={t('qq.appSecret')}
          extra={isNew ? t('qq.secretStored') : t('qq.appSecretKeep')}
          rules={isNew ? [{ required: true, whitespace: true }] : []}
        >
          <Input.Password maxLength={200} autoComplete="new-password" data-testid="qq-app-secret" />
        </Form.Item>
        <Form.Item name="apiBaseUrl" label={t('qq.apiBaseUrl')} extra={t('qq.defaultHint', { url: DEFAULT_API_BASE_URL })}>
          <Input maxLength={500} placeholder={DEFAULT_API_BASE_URL} data-testid="qq-api-base-url" />
        </Form.Item>
        <Form.Item name="tokenUrl" label={t('qq.tokenUrl')} extra={t('qq.defaultHint', { url: DEFAULT_TOKEN_URL })}>
          <Input maxLength={500} placeholder={DEFAULT_TOKEN_URL} data-testid="qq-token-url" />
        </Form.Item>
        <Form.Item name="activeAllowance" label={t('qq.activeAllowance')} extra={t('qq.activeAllowanceHelp')}>
          <InputNumber min={0} max={1000} precision={0} data-testid="qq-active-allowance" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
