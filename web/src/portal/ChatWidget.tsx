import { CloseOutlined, CustomerServiceOutlined, ExpandOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useI18n } from '../i18n';
import { PageSpin } from '../shell/common';
import { chatStore } from './chatStore';

// The panel (and the chat code) loads only when a citizen opens it.
const ChatPanel = lazy(() => import('./ChatPanel').then((m) => ({ default: m.ChatPanel })));

/** Portal pages only: not on the chat page itself, nor in the console, the workspace or sign-in. */
const HIDDEN = /^\/(chat|console|workspace|login)(\/|$)/;

/** The floating 智能客服 button on portal pages, opening the robot chat in a panel. */
export function ChatWidget() {
  const { t } = useI18n();
  const location = useLocation();
  const [isOpen, setOpen] = useState(false);
  if (HIDDEN.test(location.pathname)) return null;
  return (
    <>
      {isOpen && (
        <section className="zx-chat-widget" role="dialog" aria-label={t('chat.widget')} data-testid="chat-widget">
          <header className="zx-chat-widget-head">
            <CustomerServiceOutlined style={{ fontSize: 18 }} />
            <strong style={{ flex: 1 }}>{t('chat.widget')}</strong>
            <Tooltip title={t('chat.newSession')}>
              <Button type="text" size="small" icon={<PlusOutlined />} onClick={() => chatStore.reset()} aria-label={t('chat.newSession')} />
            </Tooltip>
            <Tooltip title={t('chat.fullPage')}>
              <Link to="/chat" onClick={() => setOpen(false)} aria-label={t('chat.fullPage')}>
                <Button type="text" size="small" icon={<ExpandOutlined />} />
              </Link>
            </Tooltip>
            <Button type="text" size="small" icon={<CloseOutlined />} onClick={() => setOpen(false)} aria-label={t('chat.close')} data-testid="chat-widget-close" />
          </header>
          <div className="zx-chat-widget-body">
            <Suspense fallback={<PageSpin />}>
              <ChatPanel compact />
            </Suspense>
          </div>
        </section>
      )}
      {!isOpen && (
        <button type="button" className="zx-chat-fab" onClick={() => setOpen(true)} data-testid="chat-widget-button">
          <CustomerServiceOutlined />
          <span>{t('chat.widget')}</span>
        </button>
      )}
    </>
  );
}
