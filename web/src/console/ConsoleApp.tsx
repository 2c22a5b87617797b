import { ApiOutlined, AuditOutlined, BookOutlined, CheckSquareOutlined, ClusterOutlined, MessageOutlined, SwapOutlined, TeamOutlined, TranslationOutlined } from '@ant-design/icons';
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
import { EntriesPage } from './EntriesPage';
import { EntryEditor } from './EntryEditor';
import { ReviewQueue } from './ReviewQueue';
import { SuggestionsPage } from './SuggestionsPage';
import { SynonymsPage } from './SynonymsPage';
import { TransferPage } from './TransferPage';
import { UsersPage } from './UsersPage';

interface Section {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** The ability that opens the section, as the server lists it in /auth/me. */
  ability: string;
  element: ReactNode;
}

const SECTIONS: Section[] = [
  { path: 'entries', label: 'console.entries', icon: <BookOutlined />, ability: 'kb.viewDrafts', element: <EntriesPage /> },
  { path: 'review', label: 'console.review', icon: <CheckSquareOutlined />, ability: 'kb.viewDrafts', element: <ReviewQueue /> },
  { path: 'categories', label: 'console.categories', icon: <ClusterOutlined />, ability: 'kb.edit', element: <CategoriesPage /> },
  { path: 'synonyms', label: 'console.synonyms', icon: <TranslationOutlined />, ability: 'kb.readStaff', element: <SynonymsPage /> },
  { path: 'suggestions', label: 'console.suggestions', icon: <MessageOutlined />, ability: 'kb.suggestions', element: <SuggestionsPage /> },
  { path: 'transfer', label: 'console.transfer', icon: <SwapOutlined />, ability: 'kb.export', element: <TransferPage /> },
  { path: 'api-keys', label: 'console.apiKeys', icon: <ApiOutlined />, ability: 'apiKeys.manage', element: <ApiKeysPage /> },
  { path: 'users', label: 'console.users', icon: <TeamOutlined />, ability: 'users.manage', element: <UsersPage /> },
  { path: 'audit', label: 'console.audit', icon: <AuditOutlined />, ability: 'audit.read', element: <AuditPage /> },
];


/** The admin console: a side menu of the sections the user's abilities open. */
export default function ConsoleApp() {
  const { t } = useI18n();
  const { can } = useSession();
  const location = useLocation();
  const visible = SECTIONS.filter((s) => can(s.ability));
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
          items={visible.map((s) => ({
            key: s.path,
            icon: s.icon,
            label: (
              <Link to={`/console/${s.path}`} data-testid={`console-nav-${s.path}`}>
                {t(s.label)}
                {s.path === 'review' && pending > 0 && <Badge count={pending} size="small" style={{ marginInlineStart: 8 }} />}
              </Link>
            ),
          }))}
        />
      </Layout.Sider>
      <Layout.Content className="zx-console-main">
        <Routes>
          <Route index element={<Navigate to={visible[0] ? `/console/${visible[0].path}` : '/'} replace />} />
          {SECTIONS.map((s) => (
            <Route key={s.path} path={s.path} element={<RequireAbility ability={s.ability}>{s.element}</RequireAbility>} />
          ))}
          <Route path="entries/new" element={<RequireAbility ability="kb.edit"><EntryEditor /></RequireAbility>} />
          <Route path="entries/:id" element={<RequireAbility ability="kb.viewDrafts"><EntryEditor /></RequireAbility>} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Layout.Content>
    </Layout>
  );
}
