import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { request } from '../api/client';
import { useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';

interface WidgetSite {
  key: string;
  name: string;
  origins: string[];
}

const sitesApi = {
  list: () => request<{ items: WidgetSite[] }>('GET', '/api/v1/widget-sites'),
  create: (body: { name: string; origins: string[] }) => request<WidgetSite>('POST', '/api/v1/widget-sites', { body }),
};

/** The one script tag a site adds to its pages to get the chat widget. */
export const embedSnippet = (key: string) => `<script src="${window.location.origin}/widget.js" data-site-key="${key}" async></script>`;

/** Sites that embed the chat widget: each with its key, the origins allowed to frame it, and the snippet to copy. */
export function WidgetSitesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, error, isLoading, reload } = useLoad(() => sitesApi.list(), []);
  const [isCreating, setCreating] = useState(false);

  return (
    <Card
      title={t('sites.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="sites-add">
          {t('sites.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('sites.snippetHelp')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Table<WidgetSite>
        rowKey="key"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('sites.name'), dataIndex: 'name', width: 180 },
          { title: t('sites.key'), dataIndex: 'key', width: 170, render: (key: string) => <Typography.Text code>{key}</Typography.Text> },
          {
            title: t('sites.origins'),
            dataIndex: 'origins',
            width: 240,
            render: (origins: string[]) => (origins.length ? origins.map((o) => <Tag key={o}>{o}</Tag>) : <Typography.Text type="secondary">{t('sites.onlySelf')}</Typography.Text>),
          },
          {
            title: t('sites.snippet'),
            render: (_, site) => (
              <Typography.Paragraph copyable code style={{ marginBottom: 0, wordBreak: 'break-all' }} data-testid={`sites-snippet-${site.key}`}>
                {embedSnippet(site.key)}
              </Typography.Paragraph>
            ),
          },
        ]}
      />
      {isCreating && (
        <CreateSiteModal
          onClose={(created) => {
            setCreating(false);
            if (created) {
              message.success(t('sites.created'));
              reload();
            }
          }}
        />
      )}
    </Card>
  );
}

function CreateSiteModal({ onClose }: { onClose: (created?: WidgetSite) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ name: string; origins?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  async function onOk() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const origins = (v.origins ?? '').split(/[\s,，]+/).filter(Boolean);
      onClose(await sitesApi.create({ name: v.name.trim(), origins }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={t('sites.add')} onCancel={() => onClose()} onOk={onOk} confirmLoading={isBusy} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('sites.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} data-testid="sites-name" />
        </Form.Item>
        <Form.Item name="origins" label={t('sites.origins')} extra={t('sites.originsHelp')}>
          <Input.TextArea rows={3} placeholder="https://rsj.example.gov.cn" data-testid="sites-origins" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
