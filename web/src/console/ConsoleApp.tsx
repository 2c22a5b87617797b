import { ApartmentOutlined, ApiOutlined, AuditOutlined, BookOutlined, CheckSquareOutlined, CloudUploadOutlined, ClusterOutlined, CustomerServiceOutlined, FunctionOutlined, MailOutlined, MessageOutlined, RobotOutlined, ScheduleOutlined, SettingOutlined, SwapOutlined, TeamOutlined, TranslationOutlined } from '@ant-design/icons';
import { Badge, Layout, Menu } from 'antd';
import type { ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { manage } from '../api/endpoints';
import { useI18n, type MessageKey } from '../i18n';
import { NotFound, RequireAbility, useLoad } from '../shell/common';
import { useSession } from '../shell/session';
import { ApiKeysPage } from './ApiKeysPage';
import { AuditPage } from './AuditPage';
import { CategoriesPage } from './CategoriesPage';
import { AgentsPage } from './conversations/AgentsPage';
import { FunnelSettingsPage } from './conversations/FunnelSettingsPage';
import { ServiceHoursPage } from './conversations/ServiceHoursPage';
import { SkillsPage } from './conversations/SkillsPage';
import { EntriesPage } from './EntriesPage';
import { EntryEditor } from './EntryEditor';
import { RecordsImportPage } from './RecordsImportPage';
import { ReviewQueue } from './ReviewQueue';
import { RobotConsole } from './RobotConsole';
import { RulesConsole } from './rules/RulesConsole';
import { RuleSetPage } from './rules/RuleSetPage';
import { SmsOutboxPage } from './SmsOutboxPage';
import { SuggestionsPage } from './SuggestionsPage';
import { SynonymsPage } from './SynonymsPage';
import { TransferPage } from './TransferPage';
import { UsersPage } from './UsersPage';
import { WidgetSitesPage } from './WidgetSitesPage';
import { DashboardOutlined, GlobalOutlined, LineChartOutlined, PhoneOutlined, QqOutlined, SafetyOutlined, WechatOutlined } from '@ant-design/icons';
import { AnalyticsPage } from './analytics/AnalyticsPage';
import { MonitorPage } from './monitor/MonitorPage';
import { QualityPage } from './quality/QualityPage';
import { IvrPage } from './channels/IvrPage';
import { QqBotsPage } from './channels/QqBotsPage';
import { WechatAccountsPage } from './channels/WechatAccountsPage';

/** The work a section serves: the side menu groups sections by it, in this order. */
const GROUPS = ['knowledge', 'robot', 'rules', 'channels', 'supervision', 'personal', 'system'] as const;
type Group = (typeof GROUPS)[number];

interface Section {
  group: Group;
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** The abilities that open the section (any of them), as the server lists them in /auth/me. */
  abilities: string[];
  element: ReactNode;
}

const SECTIONS: Section[] = [
  { group: 'knowledge', path: 'entries', label: 'console.entries', icon: <BookOutlined />, abilities: ['kb.viewDrafts'], element: <EntriesPage /> },
  { group: 'knowledge', path: 'review', label: 'console.review', icon: <CheckSquareOutlined />, abilities: ['kb.viewDrafts'], element: <ReviewQueue /> },
  { group: 'knowledge', path: 'categories', label: 'console.categories', icon: <ClusterOutlined />, abilities: ['kb.edit'], element: <CategoriesPage /> },
  { group: 'knowledge', path: 'synonyms', label: 'console.synonyms', icon: <TranslationOutlined />, abilities: ['kb.readStaff'], element: <SynonymsPage /> },
  { group: 'knowledge', path: 'suggestions', label: 'console.suggestions', icon: <MessageOutlined />, abilities: ['kb.suggestions'], element: <SuggestionsPage /> },
  { group: 'robot', path: 'robot', label: 'console.robot', icon: <RobotOutlined />, abilities: ['robot.insights'], element: <RobotConsole /> },
  { group: 'rules', path: 'rules', label: 'console.rules', icon: <FunctionOutlined />, abilities: ['rules.edit', 'rules.simulate'], element: <RulesConsole /> },
  { group: 'supervision', path: 'monitor', label: 'monitor.title', icon: <DashboardOutlined />, abilities: ['conversations.supervise'], element: <MonitorPage /> },
  { group: 'supervision', path: 'analytics', label: 'analytics.title', icon: <LineChartOutlined />, abilities: ['analytics.read'], element: <AnalyticsPage /> },
  { group: 'supervision', path: 'quality', label: 'quality.title', icon: <SafetyOutlined />, abilities: ['quality.review'], element: <QualityPage /> },
  { group: 'supervision', path: 'agents', label: 'cs.agents', icon: <CustomerServiceOutlined />, abilities: ['conversations.supervise'], element: <AgentsPage /> },
  { group: 'channels', path: 'skills', label: 'cs.skills', icon: <ApartmentOutlined />, abilities: ['conversations.configure'], element: <SkillsPage /> },
  { group: 'channels', path: 'service-hours', label: 'cs.serviceHours', icon: <ScheduleOutlined />, abilities: ['conversations.configure'], element: <ServiceHoursPage /> },
  { group: 'channels', path: 'conversation-settings', label: 'cs.funnel', icon: <SettingOutlined />, abilities: ['conversations.configure'], element: <FunnelSettingsPage /> },
  { group: 'channels', path: 'widget-sites', label: 'sites.title', icon: <GlobalOutlined />, abilities: ['conversations.configure'], element: <WidgetSitesPage /> },
  { group: 'channels', path: 'wechat', label: 'wechat.title', icon: <WechatOutlined />, abilities: ['channels.configure'], element: <WechatAccountsPage /> },
  { group: 'channels', path: 'qq', label: 'qq.title', icon: <QqOutlined />, abilities: ['channels.configure'], element: <QqBotsPage /> },
  { group: 'channels', path: 'ivr', label: 'ivr.title', icon: <PhoneOutlined />, abilities: ['channels.ivr'], element: <IvrPage /> },
  { group: 'knowledge', path: 'transfer', label: 'console.transfer', icon: <SwapOutlined />, abilities: ['kb.export'], element: <TransferPage /> },
  { group: 'system', path: 'api-keys', label: 'console.apiKeys', icon: <ApiOutlined />, abilities: ['apiKeys.manage'], element: <ApiKeysPage /> },
  { group: 'system', path: 'users', label: 'console.users', icon: <TeamOutlined />, abilities: ['users.manage'], element: <UsersPage /> },
  { group: 'system', path: 'audit', label: 'console.audit', icon: <AuditOutlined />, abilities: ['audit.read'], element: <AuditPage /> },
  { group: 'personal', path: 'records-import', label: 'rec.import.title', icon: <CloudUploadOutlined />, abilities: ['records.import'], element: <RecordsImportPage /> },
  { group: 'personal', path: 'sms-outbox', label: 'rec.sms.title', icon: <MailOutlined />, abilities: ['sms.outbox'], element: <SmsOutboxPage /> },
];


/** The admin console: a side menu of the sections the user's abilities open. */
export default function ConsoleApp() {
  const { t } = useI18n();
  const { can } = useSession();
  const location = useLocation();
  // in menu order, so the console opens on the first item the person sees
  const visible = GROUPS.flatMap((group) => SECTIONS.filter((s) => s.group === group && s.abilities.some(can)));
  const active = location.pathname.split('/')[2] ?? '';
  const { data: queue } = useLoad(() => (can('kb.viewDrafts') ? manage.reviewQueue() : Promise.resolve({ items: [] })), [location.pathname]);
  const pending = queue?.items.length ?? 0;

  return (
    <Layout style={{ minHeight: 'calc(100vh - 60px)' }}>
      <Layout.Sider width={208} breakpoint="lg" collapsedWidth={56} className="zx-console-sider" theme="light">
        <Menu
          mode="inline"
          selectedKeys={[active]}
          style={{ borderInlineEnd: 'none', paddingTop: 12 }}
          items={GROUPS.map((group) => ({ group, sections: visible.filter((s) => s.group === group) }))
            .filter(({ sections }) => sections.length > 0)
            .map(({ group, sections }) => ({
              type: 'group' as const,
              key: `group-${group}`,
              label: <span data-testid={`console-group-${group}`}>{t(`console.group.${group}` as MessageKey)}</span>,
              children: sections.map((s) => ({
                key: s.path,
                icon: s.icon,
                label: (
                  <Link to={`/console/${s.path}`} data-testid={`console-nav-${s.path}`}>
                    {t(s.label)}
                    {s.path === 'review' && pending > 0 && <Badge count={pending} size="small" style={{ marginInlineStart: 8 }} />}
                  </Link>
                ),
              })),
            }))}
        />
      </Layout.Sider>
      <Layout.Content className="zx-console-main">
        <Routes>
          <Route index element={<Navigate to={visible[0] ? `/console/${visible[0].path}` : '/'} replace />} />
          {SECTIONS.map((s) => (
            <Route key={s.path} path={s.path} element={<RequireAbility anyOf={s.abilities}>{s.element}</RequireAbility>} />
          ))}
          <Route path="entries/new" element={<RequireAbility ability="kb.edit"><EntryEditor /></RequireAbility>} />
          <Route path="rules/sets/:id" element={<RequireAbility anyOf={['rules.edit', 'rules.simulate']}><RuleSetPage /></RequireAbility>} />
          <Route path="entries/:id" element={<RequireAbility ability="kb.viewDrafts"><EntryEditor /></RequireAbility>} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Layout.Content>
    </Layout>
  );
}
