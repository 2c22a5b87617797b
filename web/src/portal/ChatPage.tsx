import { useLocation } from 'react-router-dom';
import { useI18n } from '../i18n';
import { PORTAL_SITE_KEY } from './ChatWidget';

/**
 * 智能问答: the chat widget on a page of its own (the same conversation as the floating button's).
 * /chat?human=1 (the home page's 转人工) opens it asking for an agent.
 */
export function ChatPage() {
  const { t, lang } = useI18n();
  const { search } = useLocation();
  const params = new URLSearchParams({ siteKey: PORTAL_SITE_KEY, mode: 'page', lang });
  if (new URLSearchParams(search).get('human') === '1') params.set('human', '1');
  return (
    <iframe
      src={`/widget/frame?${params}`}
      title={t('chat.title')}
      data-testid="widget-frame"
      style={{ display: 'block', width: '100%', maxWidth: 820, margin: '0 auto', height: 'max(520px, calc(100dvh - 190px))', border: 'none', borderRadius: 12 }}
    />
  );
}
