import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { useI18n } from '../i18n';

/** The widget site of the platform's own portal (created by the server at start-up). */
export const PORTAL_SITE_KEY = 'portal';

/** Portal pages only: not on the chat page itself, nor in the console, the workspace or sign-in. */
const HIDDEN = /^\/(chat|console|workspace|login)(\/|$)/;

/**
 * The floating 智能客服 button on portal pages. The portal embeds the chat widget exactly as any
 * other site does, with the one script tag (/widget.js) and its site key; on pages without it the
 * widget is removed again.
 */
export function ChatWidget() {
  const { lang } = useI18n();
  const { pathname } = useLocation();
  const isShown = !HIDDEN.test(pathname);

  useEffect(() => {
    if (!isShown) return;
    let isCancelled = false;
    const script = document.createElement('script');
    script.src = '/widget.js';
    script.dataset.siteKey = PORTAL_SITE_KEY;
    script.dataset.lang = lang;
    script.async = false; // run in insertion order, so a quick remove-and-add cannot leave two
    script.onload = () => {
      if (isCancelled) window.zhixunWidget?.destroy(); // removed before it had run
    };
    document.body.append(script);
    return () => {
      isCancelled = true;
      window.zhixunWidget?.destroy();
      script.remove();
    };
  }, [isShown, lang]);
  return null;
}
