import { App, Button, Card, Form, InputNumber } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n';
import { ErrorAlert, PageSpin, useLoad } from '../../shell/common';
import { useSession } from '../../shell/session';
import { supervisionApi, type FunnelSettings } from '../../workspace/api';

/** The funnel's other settings: idle close, default seats, and the handling time behind wait estimates. */
export function FunnelSettingsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const isEditable = can('conversations.configure');
  const { data, error, setData } = useLoad(() => supervisionApi.funnel(), []);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);

  if (error) return <ErrorAlert error={error} />;
  if (!data) return <PageSpin />;

  async function save(v: FunnelSettings) {
    setBusy(true);
    setSaveError(null);
    try {
      setData(await supervisionApi.saveFunnel(v));
      message.success(t('common.saved'));
    } catch (err) {
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t('cs.funnel')} style={{ maxWidth: 720 }}>
      <ErrorAlert error={saveError} />
      <Form layout="vertical" initialValues={data} onFinish={save} disabled={!isEditable} data-testid="funnel-form">
        <Form.Item name="idleCloseMinutes" label={t('cs.idleClose')} extra={t('cs.idleCloseHint')} rules={[{ required: true }]}>
          <InputNumber min={5} max={7 * 24 * 60} style={{ width: 160 }} data-testid="funnel-idle" />
        </Form.Item>
        <Form.Item name="defaultMaxChats" label={t('cs.defaultMaxChats')} extra={t('cs.defaultMaxChatsHint')} rules={[{ required: true }]}>
          <InputNumber min={1} max={20} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="defaultHandleSeconds" label={t('cs.defaultHandle')} extra={t('cs.defaultHandleHint')} rules={[{ required: true }]}>
          <InputNumber min={30} max={3600} style={{ width: 160 }} />
        </Form.Item>
        {isEditable && (
          <Button type="primary" htmlType="submit" loading={isBusy} data-testid="funnel-save">
            {t('common.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}
