import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { I18nProvider, useI18n } from '../i18n';
import { EntryPage } from '../portal/EntryPage';
import { PortalHome } from '../portal/PortalHome';
import { NotFound, PageSpin, RequireAbility } from './common';
import { AppLayout } from './AppLayout';
import { LoginPage } from './LoginPage';
import { SessionProvider } from './session';
import { useElderMode } from './elder-mode';
import { CONSOLE_ABILITIES } from './abilities';

// The console is big and used by few: it loads only when opened, so the portal stays fast.
// The chat, the calculators and the workspace are split off too; search and entries load first.
const ConsoleApp = lazy(() => import('../console/ConsoleApp'));
const ChatPage = lazy(() => import('../portal/ChatPage').then((m) => ({ default: m.ChatPage })));
const CalculatorPage = lazy(() => import('../portal/CalculatorPage').then((m) => ({ default: m.CalculatorPage })));
const WorkspacePage = lazy(() => import('../workspace/WorkspacePage').then((m) => ({ default: m.WorkspacePage })));
// 我的社保, the citizen's own records: a page at a time, none of it in the portal's first load.
const CitizenLoginPage = lazy(() => import('../portal/me/CitizenLoginPage').then((m) => ({ default: m.CitizenLoginPage })));
const CitizenArea = lazy(() => import('../portal/me/CitizenArea').then((m) => ({ default: m.CitizenArea })));
const MyOverview = lazy(() => import('../portal/me/MyOverview').then((m) => ({ default: m.MyOverview })));
const MyContributions = lazy(() => import('../portal/me/MyContributions').then((m) => ({ default: m.MyContributions })));
const MyPensionAccount = lazy(() => import('../portal/me/MyPensionAccount').then((m) => ({ default: m.MyPensionAccount })));
const MyApplications = lazy(() => import('../portal/me/MyApplications').then((m) => ({ default: m.MyApplications })));
const MyApplication = lazy(() => import('../portal/me/MyApplications').then((m) => ({ default: m.MyApplication })));
const MyPayments = lazy(() => import('../portal/me/MyPayments').then((m) => ({ default: m.MyPayments })));
const MyBindings = lazy(() => import('../portal/me/MyBindings').then((m) => ({ default: m.MyBindings })));
const MyAccessLog = lazy(() => import('../portal/me/MyAccessLog').then((m) => ({ default: m.MyAccessLog })));
// the public check of a contribution statement's code, the address printed on the PDF
const VerifyStatementPage = lazy(() => import('../portal/VerifyStatementPage').then((m) => ({ default: m.VerifyStatementPage })));


const FONT_FAMILY = `-apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif`;
// antd's default grey texts (45 % black) fall short of WCAG AA's 4.5:1 on white; these keep it.
const READABLE_GREYS = { colorLink: '#1456b8', colorTextSecondary: '#4b5563', colorTextTertiary: '#5b6472', colorTextDescription: '#4b5563', colorTextPlaceholder: '#6b7280' };
// 长辈版: 18-px type, 48-px controls, near-black text (≥ 7:1), no light greys at all.
const ELDER_TOKENS = {
  fontSize: 18,
  fontSizeSM: 16,
  fontSizeLG: 20,
  controlHeight: 48,
  controlHeightSM: 44,
  controlHeightLG: 56,
  colorText: '#111111',
  colorTextSecondary: '#222222',
  colorTextTertiary: '#222222',
  colorTextDescription: '#222222',
  colorTextPlaceholder: '#4b5563',
  colorPrimary: '#0b3d91',
  colorLink: '#0b3d91',
};

function Themed() {
  const { lang } = useI18n();
  const [isElder] = useElderMode();
  // Date pickers show month and week names in the chosen language.
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1456b8', borderRadius: 8, fontFamily: FONT_FAMILY, ...READABLE_GREYS, ...(isElder ? ELDER_TOKENS : {}) },
        components: { Layout: { headerBg: '#ffffff', bodyBg: '#f4f6fa', headerHeight: isElder ? 68 : 60, headerPadding: '0 24px' } },
      }}
    >
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Routes>
              <Route element={<AppLayout />}>
                <Route index element={<PortalHome />} />
                <Route path="kb/:id" element={<EntryPage />} />
                <Route path="chat" element={<ChatPage />} />
                <Route path="calculators" element={<CalculatorPage />} />
                <Route path="calculators/:id" element={<CalculatorPage />} />
                <Route path="login" element={<LoginPage />} />
                <Route path="verify/:code?" element={<VerifyStatementPage />} />
                <Route path="me/login" element={<CitizenLoginPage />} />
                <Route path="me" element={<CitizenArea />}>
                  <Route index element={<MyOverview />} />
                  <Route path="contributions" element={<MyContributions />} />
                  <Route path="pension-account" element={<MyPensionAccount />} />
                  <Route path="applications" element={<MyApplications />} />
                  <Route path="applications/:id" element={<MyApplication />} />
                  <Route path="payments" element={<MyPayments />} />
                  <Route path="access-log" element={<MyAccessLog />} />
                  <Route path="bind" element={<MyBindings />} />
                </Route>
                <Route
                  path="workspace/*"
                  element={
                    <RequireAbility ability="kb.readStaff">
                      <WorkspacePage />
                    </RequireAbility>
                  }
                />
                <Route
                  path="console/*"
                  element={
                    <RequireAbility anyOf={CONSOLE_ABILITIES}>
                      <Suspense fallback={<PageSpin />}>
                        <ConsoleApp />
                      </Suspense>
                    </RequireAbility>
                  }
                />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
