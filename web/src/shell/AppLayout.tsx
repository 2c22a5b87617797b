import { GlobalOutlined, IdcardOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Drawer, Dropdown, Grid, Layout, Typography } from 'antd';
import { Suspense, useEffect, useState, type MouseEvent } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n';
import { useSession } from './session';
import { CONSOLE_ABILITIES } from './abilities';
import { PageSpin } from './common';
import { useElderMode } from './elder-mode';
import { ChatWidget } from '../portal/ChatWidget';

/** The id of <main>, where the skip link jumps to. */
const MAIN_ID = 'main-content';

/** The one shell: header with the areas the caller may open, language toggle, sign-in. */
export function AppLayout() {
  const { t, lang, setLang } = useI18n();
  const { me, isSignedIn, can, signOut } = useSession();
  const [isElder, setElder] = useElderMode();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  // A phone (and, with elderly mode's larger type, a small tablet) gets a menu button: a row of
  // links would not fit, and antd's bare "···" overflow told nobody what was behind it.
  const isNarrow = screens.md === false || (isElder && screens.lg === false);
  const [isMenuOpen, setMenuOpen] = useState(false);
  const path = location.pathname;
  // biome-ignore lint/correctness/useExhaustiveDependencies: path is the trigger: following a link closes the menu
  useEffect(() => setMenuOpen(false), [path]);

  const links = [
    { to: '/', label: t('nav.home'), testId: 'nav-home' },
    { to: '/chat', label: t('nav.chat'), testId: 'nav-chat' },
    { to: '/calculators', label: t('nav.calculators'), testId: 'nav-calculators' },
    ...(can('kb.readStaff') ? [{ to: '/workspace', label: t('nav.workspace'), testId: 'nav-workspace' }] : []),
    ...(CONSOLE_ABILITIES.some(can) ? [{ to: '/console', label: t('nav.console'), testId: 'nav-console' }] : []),
  ];
  const current = path.startsWith('/kb/') ? '/' : (links.map((l) => l.to).filter((to) => to !== '/' && path.startsWith(to))[0] ?? (path === '/' ? '/' : ''));
  const staffLoginPath = `/login?next=${encodeURIComponent(path === '/login' ? '/' : path)}`;
  const isConsole = path.startsWith('/console');
  // staff work areas: full width, no footer, no citizen chat button
  const isStaffArea = isConsole || path.startsWith('/workspace');
  const toggleLang = () => setLang(lang === 'zh' ? 'en' : 'zh');

  const navList = (
    <ul className={isNarrow ? 'zx-nav-list zx-nav-list-vertical' : 'zx-nav-list'}>
      {links.map((l) => (
        <li key={l.to}>
          <Link to={l.to} data-testid={l.testId} aria-current={current === l.to ? 'page' : undefined} className={current === l.to ? 'zx-nav-link zx-nav-current' : 'zx-nav-link'}>
            {l.label}
          </Link>
        </li>
      ))}
    </ul>
  );
  const elderSwitch = (
    <Button type={isElder ? 'primary' : 'default'} aria-pressed={isElder} onClick={() => setElder(!isElder)} title={t('portal.elderHint')} data-testid="elder-toggle" className="zx-elder-toggle">
      {t('portal.elder')}
    </Button>
  );
  // links drawn as buttons: a real href (open in a new tab, read as a link), routed in the app
  const goTo = (to: string) => (event: MouseEvent) => {
    event.preventDefault();
    navigate(to);
  };
  const signOutAndLeave = async () => {
    await signOut();
    navigate('/');
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="zx-skip-link" href={`#${MAIN_ID}`} data-testid="skip-link">
        {t('portal.skipToMain')}
      </a>
      <Layout.Header className={isNarrow ? 'zx-header zx-header-narrow' : 'zx-header'}>
        <Link to="/" className="zx-brand">
          <span className="zx-logo" aria-hidden="true">询</span>
          <span>
            <span className="zx-brand-name">{t('app.name')}</span>
            <span className="zx-brand-sub">{t('app.subtitle')}</span>
          </span>
        </Link>
        {!isNarrow && (
          <nav aria-label={t('portal.mainNav')} className="zx-nav">
            {navList}
          </nav>
        )}
        <div className="zx-header-actions">
          {!isNarrow && (
            <Button type="text" icon={<GlobalOutlined />} onClick={toggleLang} data-testid="lang-toggle" lang={lang === 'zh' ? 'en' : 'zh-CN'}>
              {t('nav.language')}
            </Button>
          )}
          {!isStaffArea && elderSwitch}
          <Button
            type="primary"
            icon={isNarrow ? undefined : <IdcardOutlined />}
            href="/me"
            onClick={goTo('/me')}
            data-testid="nav-me"
          >
            {isNarrow ? t('me.nav.entryShort') : t('me.nav.entry')}
          </Button>
          {!isNarrow &&
            (isSignedIn ? (
              <Dropdown menu={{ items: [{ key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('nav.logout')}</span> }], onClick: signOutAndLeave }}>
                <Button icon={<UserOutlined />} data-testid="user-menu">
                  {me.username}
                </Button>
              </Dropdown>
            ) : (
              <Button type="primary" ghost href={staffLoginPath} onClick={goTo(staffLoginPath)} data-testid="nav-login">
                {t('me.nav.staffLogin')}
              </Button>
            ))}
          {isNarrow && (
            <Button icon={<MenuOutlined />} aria-label={t('portal.menuOpen')} aria-expanded={isMenuOpen} aria-controls="zx-menu-drawer" onClick={() => setMenuOpen(true)} data-testid="nav-menu">
              {t('portal.menu')}
            </Button>
          )}
        </div>
      </Layout.Header>
      {isNarrow && (
        <Drawer
          id="zx-menu-drawer"
          open={isMenuOpen}
          onClose={() => setMenuOpen(false)}
          placement="right"
          size={300}
          title={t('portal.menu')}
          closable={{ 'aria-label': t('portal.menuClose') }}
          data-testid="nav-drawer"
        >
          <nav aria-label={t('portal.mainNav')}>{navList}</nav>
          <div className="zx-drawer-actions">
            <Button block icon={<GlobalOutlined />} onClick={toggleLang} data-testid="lang-toggle" lang={lang === 'zh' ? 'en' : 'zh-CN'}>
              {t('nav.language')}
            </Button>
            {isSignedIn ? (
              <>
                <Typography.Text>
                  <UserOutlined /> {me.username}
                </Typography.Text>
                <Button block icon={<LogoutOutlined />} onClick={signOutAndLeave} data-testid="logout">
                  {t('nav.logout')}
                </Button>
              </>
            ) : (
              <Button block href={staffLoginPath} onClick={goTo(staffLoginPath)} data-testid="nav-login">
                {t('me.nav.staffLogin')}
              </Button>
            )}
          </div>
        </Drawer>
      )}
      <Layout.Content id={MAIN_ID} tabIndex={-1} className={isStaffArea ? 'zx-content zx-content-wide' : 'zx-content'}>
        <Suspense fallback={<PageSpin />}>
          <Outlet />
        </Suspense>
      </Layout.Content>
      {!isStaffArea && (
        <Layout.Footer className="zx-footer">
          <Typography.Text>{t('app.footer')}</Typography.Text>
          <br />
          <Typography.Text strong>{t('app.hotline')}</Typography.Text>
        </Layout.Footer>
      )}
      {!isStaffArea && <ChatWidget />}
    </Layout>
  );
}
