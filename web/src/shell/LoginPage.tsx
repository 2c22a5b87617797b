import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useI18n } from '../i18n';
import { ErrorAlert } from './common';
import { useSession } from './session';
import { homeFor } from './abilities';


/** Staff sign-in; afterwards goes to `next`, or to the area the user's abilities open. */
export function LoginPage() {
  const { t } = useI18n();
  const { signIn, isSignedIn, me } = useSession();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const next = params.get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') && next !== '/login' ? next : null;

  if (isSignedIn && !isBusy) return <Navigate to={safeNext ?? homeFor(me.abilities)} replace />;

  async function onFinish(values: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const me = await signIn(values.username.trim(), values.password);
      message.success(t('login.welcome', { name: me.username ?? '' }));
      const home = homeFor(me.abilities);
      // Stay busy: this page unmounts on navigation, and must not redirect again meanwhile.
      navigate(safeNext ?? home, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <div className="zx-login">
      <Card className="zx-login-card">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <span className="zx-logo zx-logo-lg">询</span>
          <Typography.Title level={1} style={{ marginTop: 12, marginBottom: 0, fontSize: 24 }}>
            {t('login.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </div>
        <ErrorAlert error={error} />
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} size="large">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.username') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.password') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={isBusy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
