import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api/client';
import { formatDateTime, useI18n } from '../i18n';
import { ErrorAlert } from '../shell/common';

interface OutboxMessage {
  /** masked by the server */
  phone: string;
  text: string;
  sentAt: string;
}

const readOutbox = (phone: string) => api.get<{ items: OutboxMessage[] }>('/api/v1/sms-outbox', { phone });

/**
 * The development SMS provider keeps the texts it would have sent (sign-in codes) here, so testers and
 * demonstrations can sign citizens in. With a real SMS gateway the API answers 404 and there is nothing to read.
 */
export function SmsOutboxPage() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<OutboxMessage[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isLoading, setLoading] = useState(false);
  const isNotAvailable = error instanceof ApiError && error.code === 'sms_outbox_not_available';

  async function search({ phone }: { phone: string }) {
    setLoading(true);
    setError(null);
    try {
      setItems((await readOutbox(phone.trim())).items);
    } catch (err) {
      setItems(null);
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  return (
    <Card title={t('rec.sms.title')}>
      <Typography.Paragraph type="secondary">{t('rec.sms.intro')}</Typography.Paragraph>
      <Form layout="inline" onFinish={search} style={{ marginBottom: 16 }}>
        <Form.Item name="phone" label={t('rec.sms.phone')} rules={[{ required: true, pattern: /^\s*1\d{10}\s*$/, message: t('rec.sms.phoneInvalid') }]}>
          <Input inputMode="numeric" maxLength={13} placeholder="13900000000" style={{ width: 200 }} data-testid="sms-phone" />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={isLoading} data-testid="sms-search">
          {t('rec.sms.search')}
        </Button>
      </Form>
      {isNotAvailable ? <Alert type="info" showIcon title={t('rec.sms.notAvailable')} data-testid="sms-not-available" /> : <ErrorAlert error={error} />}
      {items && (
        <Table<OutboxMessage>
          rowKey={(m, i) => `${m.sentAt}-${i}`}
          size="small"
          dataSource={items}
          pagination={items.length > 20 ? { pageSize: 20 } : false}
          locale={{ emptyText: t('rec.sms.none') }}
          onRow={() => ({ 'data-testid': 'sms-message' }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('rec.sms.sentAt'), dataIndex: 'sentAt', width: 170, render: (d: string) => formatDateTime(d, lang) },
            { title: t('rec.sms.phone'), dataIndex: 'phone', width: 150 },
            { title: t('rec.sms.text'), dataIndex: 'text' },
          ]}
        />
      )}
    </Card>
  );
}
