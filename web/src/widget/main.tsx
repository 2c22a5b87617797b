import '../shell/zod-jitless';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../i18n';
import { WidgetApp, type WidgetMode } from './WidgetApp';
import './widget.css';

// The frame page (/widget/frame?siteKey=KEY&mode=float|page&lang=zh|en): the chat, without the
// portal's Ant Design, so that it opens fast on a phone.
const params = new URLSearchParams(location.search);
const lang = params.get('lang');
if (lang === 'zh' || lang === 'en') {
  try {
    localStorage.setItem('zhixun.lang', lang); // the language of the page that embeds us
  } catch {
    /* storage refused: the default (zh) */
  }
}
const mode: WidgetMode = params.get('mode') === 'page' ? 'page' : 'float';

createRoot(document.getElementById('widget-root')!).render(
  <I18nProvider>
    <WidgetApp siteKey={params.get('siteKey') ?? ''} mode={mode} />
  </I18nProvider>,
);
