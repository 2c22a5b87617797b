import '../shell/zod-jitless';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../i18n';
import { WidgetApp, type WidgetMode } from './WidgetApp';
import './widget.css';

// The frame page (/widget/frame?siteKey=KEY&mode=float|page&lang=zh|en[&elder=1][&human=1]): the
// chat, without the portal's Ant Design, so that it opens fast on a phone. elder=1: the embedding
// site is in elderly mode; human=1: opened to ask for an agent (/chat?human=1).
const params = new URLSearchParams(location.search);
const lang = params.get('lang');
if (lang === 'zh' || lang === 'en') {
  try {
    localStorage.setItem('zhixun.lang', lang); // the language of the page that embeds us
  } catch {
    /* storage refused: the default (zh) */
  }
}
// before the first paint, so a screen reader never meets the page in the wrong language
if (lang === 'en') document.documentElement.lang = 'en';
const mode: WidgetMode = params.get('mode') === 'page' ? 'page' : 'float';

createRoot(document.getElementById('widget-root')!).render(
  <I18nProvider>
    <WidgetApp siteKey={params.get('siteKey') ?? ''} mode={mode} isElderAsked={params.get('elder') === '1'} wantsHuman={params.get('human') === '1'} />
  </I18nProvider>,
);
