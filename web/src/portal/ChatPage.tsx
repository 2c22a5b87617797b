import { useI18n } from '../i18n';
import { PORTAL_SITE_KEY } from './ChatWidget';

/** 智能问答: the chat widget on a page of its own (the same conversation as the floating button's). */
export function ChatPage() {
  const { t, lang } = useI18n();
  const params = new URLSearchParams({ siteKey: PORTAL_SITE_KEY, mode: 'page', lang });
  return (
    <iframe
      src={`/widget/frame?${params}`}
      title={t('chat.title')}
      data-testid="widget-frame"
      style={{ display: 'block', width: '100%', maxWidth: 820, margin: '0 auto', height: 'max(520px, calc(100dvh - 190px))', border: 'none', borderRadius: 12 }}
    />
  );
}
