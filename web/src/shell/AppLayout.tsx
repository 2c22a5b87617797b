import { GlobalOutlined, IdcardOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n';
import { useSession } from './session';
import { CONSOLE_ABILITIES } from './abilities';
import { PageSpin } from './common';
import { ChatWidget } from '../portal/ChatWidget';


/** The one shell: header with the areas the caller may open, language toggle, sign-in. */
export function AppLayout() {
  const { t, lang, setLang } = useI18n();
  const { me, isSignedIn, can, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  // On a phone the header keeps 我的社保 in sight: it and the language toggle get shorter and the
  // staff sign-in moves into the menu's overflow, so nothing is pushed past the screen's edge.
  const isPhone = Grid.useBreakpoint().sm === false;

  const items = [
    { key: '/', label: <Link to="/">{t('nav.home')}</Link> },
    { key: '/chat', label: <Link to="/chat" data-testid="nav-chat">{t('nav.chat')}</Link> },
    { key: '/calculators', label: <Link to="/calculators" data-testid="nav-calculators">{t('nav.calculators')}</Link> },
    ...(can('kb.readStaff') ? [{ key: '/workspace', label: <Link to="/workspace" data-testid="nav-workspace">{t('nav.workspace')}</Link> }] : []),
    ...(CONSOLE_ABILITIES.some(can) ? [{ key: '/console', label: <Link to="/console" data-testid="nav-console">{t('nav.console')}</Link> }] : []),
  ];
  const path = location.pathname;
  const staffLoginPath = `/login?next=${encodeURIComponent(path === '/login' ? '/' : path)}`;
  if (isPhone && !isSignedIn) items.push({ key: '/login', label: <Link to={staffLoginPath} data-testid="nav-login">{t('me.nav.staffLogin')}</Link> });
  const selected = path.startsWith('/kb/') ? '/' : (items.map((i) => i.key).filter((k) => k !== '/' && path.startsWith(k))[0] ?? (path === '/' ? '/' : ''));
  const isConsole = path.startsWith('/console');
  // staff work areas: full width, no footer, no citizen chat button
  const isStaffArea = isConsole || path.startsWith('/workspace');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="zx-header">
        <Link to="/" className="zx-brand">
          <span className="zx-logo">询</span>
          <span>
            <span className="zx-brand-name">{t('app.name')}</span>
            <span className="zx-brand-sub">{t('app.subtitle')}</span>
          </span>
        </Link>
        <Menu mode="horizontal" selectedKeys={[selected]} items={items} className="zx-nav" />
        <Space size="small">
          <Button type="text" icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} data-testid="lang-toggle" aria-label={isPhone ? t('nav.language') : undefined} title={isPhone ? t('nav.language') : undefined}>
            {isPhone ? null : t('nav.language')}
          </Button>
          <Button
            type="primary"
            icon={isPhone ? undefined : <IdcardOutlined />}
            href="/me"
            onClick={(e) => {
              e.preventDefault();
              navigate('/me');
            }}
            data-testid="nav-me"
          >
            {isPhone ? t('me.nav.entryShort') : t('me.nav.entry')}
          </Button>
          {isSignedIn ? (
            <Dropdown
              menu={{
                items: [{ key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('nav.logout')}</span> }],
                onClick: async () => {
                  await signOut();
                  navigate('/');
                },
              }}
            >
              <Button icon={<UserOutlined />} data-testid="user-menu">
                {me.username}
              </Button>
            </Dropdown>
          ) : isPhone ? null : (
            <Link to={staffLoginPath}>
              <Button type="primary" ghost data-testid="nav-login">
                {t('me.nav.staffLogin')}
              </Button>
            </Link>
          )}
        </Space>
      </Layout.Header>
      <Layout.Content className={isStaffArea ? 'zx-content zx-content-wide' : 'zx-content'}>
        <Suspense fallback={<PageSpin />}>
          <Outlet />
        </Suspense>
      </Layout.Content>
      {!isStaffArea && (
        <Layout.Footer className="zx-footer">
          <Typography.Text type="secondary">{t('app.footer')}</Typography.Text>
          <br />
          <Typography.Text strong>{t('app.hotline')}</Typography.Text>
        </Layout.Footer>
      )}
      {!isStaffArea && <ChatWidget />}
    </Layout>
  );
}
