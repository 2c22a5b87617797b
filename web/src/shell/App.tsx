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
import { CONSOLE_ABILITIES } from './abilities';

// The console is big and used by few: it loads only when opened, so the portal stays fast.
// The chat, the calculators and the workspace are split off too; search and entries load first.
const ConsoleApp = lazy(() => import('../console/ConsoleApp'));
const ChatPage = lazy(() => import('../portal/ChatPage').then((m) => ({ default: m.ChatPage })));
const CalculatorPage = lazy(() => import('../portal/CalculatorPage').then((m) => ({ default: m.CalculatorPage })));
const WorkspacePage = lazy(() => import('../workspace/WorkspacePage').then((m) => ({ default: m.WorkspacePage })));


function Themed() {
  const { lang } = useI18n();
  // Date pickers show month and week names in the chosen language.
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1456b8', borderRadius: 8, fontFamily: `-apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif` },
        components: { Layout: { headerBg: '#ffffff', bodyBg: '#f4f6fa', headerHeight: 60, headerPadding: '0 24px' } },
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
