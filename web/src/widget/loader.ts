/**
 * The embed script, served as /widget.js: any site adds the chat with
 *   <script src="https://HOST/widget.js" data-site-key="KEY" async></script>
 * (and data-lang="en" for English, data-elder="1" when the page is in its elderly mode).
 * It draws a floating 智能客服 button; the first click opens the widget page (/widget/frame) in an
 * iframe: a panel on a desktop, the whole screen on a phone. It imports nothing (it runs as a plain
 * script on someone else's page) and styles through the DOM, so a strict host CSP does not break it.
 * `window.zhixunWidget` lets a single-page site open, close or remove it, and switch elderly mode.
 */

interface WidgetHandle {
  siteKey: string;
  open(): void;
  close(): void;
  /** the page's elderly mode changed: the open widget follows */
  setElder(on: boolean): void;
  destroy(): void;
}

declare global {
  interface Window {
    zhixunWidget?: WidgetHandle;
  }
}

const PHONE = '(max-width: 479px)';
const LABELS = { zh: { open: '智能客服', close: '关闭咨询', unread: '条新消息' }, en: { open: 'Online help', close: 'Close chat', unread: 'new messages' } };
/**
 * The launcher's size and its distance from the window's bottom right corner. The portal keeps a
 * safe area free at the bottom of its pages (--zx-launcher-safe-area in web/src/styles.css, 96 px =
 * 20 + 56 + 20), so the button never covers a link or a result row there: change both together.
 */
const LAUNCHER_SIZE = 56;
const LAUNCHER_MARGIN = 20;
const FOCUS_RING = '3px solid #1f2a37';
/** Typing in these on a phone brings up the keyboard: the launcher steps aside until it is done. */
function isTextField(el: Element | null) {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && !['button', 'checkbox', 'color', 'file', 'hidden', 'image', 'radio', 'range', 'reset', 'submit'].includes(el.type);
}

function install(script: HTMLScriptElement) {
  const siteKey = script.getAttribute('data-site-key') ?? '';
  if (!siteKey) return console.error('zhixun widget: data-site-key is missing');
  if (window.zhixunWidget) return; // already on the page
  const host = new URL(script.src, location.href).origin;
  const lang: 'zh' | 'en' = script.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  let isElder = script.getAttribute('data-elder') === '1';
  const text = LABELS[lang];
  const phone = window.matchMedia(PHONE);

  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('data-testid', 'widget-launcher');
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-expanded', 'false');
  // a speech bubble drawn in SVG: emoji fonts are missing on many office computers
  const svg = 'http://www.w3.org/2000/svg';
  const icon = document.createElementNS(svg, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('width', '24');
  icon.setAttribute('height', '24');
  icon.setAttribute('aria-hidden', 'true');
  const bubble = document.createElementNS(svg, 'path');
  bubble.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z');
  bubble.setAttribute('fill', 'currentColor');
  icon.append(bubble);
  const label = document.createElement('span');
  label.textContent = text.open;
  const badge = document.createElement('span');
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  // the count as words for a screen reader, part of the button's name ("智能客服 2 条新消息")
  const unreadWords = document.createElement('span');
  Object.assign(unreadWords.style, { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' });
  button.append(icon, label, badge, unreadWords);
  const shadow = '0 8px 24px rgba(20, 86, 184, 0.35)';
  Object.assign(button.style, {
    position: 'fixed', right: `${LAUNCHER_MARGIN}px`, bottom: `${LAUNCHER_MARGIN}px`, zIndex: '2147483000', display: 'inline-flex', alignItems: 'center', justifyContent: 'center', gap: '8px',
    boxSizing: 'border-box', height: `${LAUNCHER_SIZE}px`, minWidth: `${LAUNCHER_SIZE}px`, padding: '0 20px', border: 'none', borderRadius: `${LAUNCHER_SIZE / 2}px`, background: '#1456b8', color: '#fff',
    font: '600 18px/1 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', cursor: 'pointer',
    boxShadow: shadow, outline: 'none',
  } satisfies Partial<CSSStyleDeclaration>);
  Object.assign(badge.style, { minWidth: '22px', height: '22px', padding: '0 6px', borderRadius: '11px', background: '#c8102e', color: '#fff', fontSize: '14px', lineHeight: '22px', textAlign: 'center' });
  // a visible focus ring: inline styles cannot say :focus-visible, and a <style> element may be
  // refused by the page's CSP; a white gap keeps the dark ring clear of the blue button
  button.addEventListener('focus', () => {
    if (!button.matches(':focus-visible')) return;
    Object.assign(button.style, { outline: FOCUS_RING, outlineOffset: '3px', boxShadow: `0 0 0 3px #fff, ${shadow}` });
  });
  button.addEventListener('blur', () => Object.assign(button.style, { outline: 'none', boxShadow: shadow }));

  let frame: HTMLIFrameElement | undefined;
  let isOpen = false;
  let isTyping = false;

  function place() {
    const full = phone.matches;
    if (frame) {
      // on a desktop a panel above the launcher, 12 px clear of it
      const above = LAUNCHER_MARGIN + LAUNCHER_SIZE + 12;
      Object.assign(frame.style, full
        ? { inset: '0', right: '0', bottom: '0', width: '100%', height: '100%', maxHeight: 'none', borderRadius: '0' }
        : { inset: 'auto', right: `${LAUNCHER_MARGIN}px`, bottom: `${above}px`, width: '400px', height: `min(660px, calc(100vh - ${above + LAUNCHER_MARGIN}px))`, maxHeight: 'none', borderRadius: '14px' });
    }
    // on a phone the open frame covers the page (its own header has the close button), and while
    // the citizen types on the page the keyboard needs the bottom of the screen
    button.style.display = full && (isOpen || isTyping) ? 'none' : 'inline-flex';
  }

  function onFocusChange() {
    // focusout comes before the next focusin: look once the focus has settled
    setTimeout(() => {
      const typing = isTextField(document.activeElement);
      if (typing === isTyping) return;
      isTyping = typing;
      place();
    }, 0);
  }

  function createFrame() {
    const iframe = document.createElement('iframe');
    const params = new URLSearchParams({ siteKey, mode: 'float', lang });
    if (isElder) params.set('elder', '1');
    iframe.src = `${host}/widget/frame?${params}`;
    iframe.title = text.open;
    iframe.setAttribute('data-testid', 'widget-frame');
    Object.assign(iframe.style, { position: 'fixed', zIndex: '2147483001', border: 'none', background: '#fff', boxShadow: '0 12px 40px rgba(16, 40, 80, 0.28)', colorScheme: 'light' });
    document.body.append(iframe);
    return iframe;
  }

  function tell(message: Record<string, unknown>) {
    frame?.contentWindow?.postMessage({ source: 'zhixun-widget', ...message }, host);
  }

  function open() {
    frame ??= createFrame();
    isOpen = true;
    frame.style.display = 'block';
    button.setAttribute('aria-expanded', 'true');
    label.textContent = text.close; // the visible words are the name, so voice control finds it too
    badge.hidden = true;
    unreadWords.textContent = '';
    place();
    frame.focus();
    tell({ type: 'open' });
  }

  function close() {
    if (!frame) return;
    isOpen = false;
    frame.style.display = 'none';
    button.setAttribute('aria-expanded', 'false');
    label.textContent = text.open;
    place();
    button.focus();
    tell({ type: 'close' });
  }

  function onMessage(event: MessageEvent) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== host) return;
    const data = event.data as { source?: string; type?: string; count?: number };
    if (data?.source !== 'zhixun-widget') return;
    if (data.type === 'close') close();
    if (data.type === 'ready') tell({ type: isOpen ? 'open' : 'close' });
    if (data.type === 'unread' && !isOpen) {
      const count = Number(data.count) || 0;
      badge.hidden = count === 0;
      badge.textContent = String(count);
      unreadWords.textContent = count ? ` ${count} ${text.unread}` : '';
    }
  }

  button.addEventListener('click', () => (isOpen ? close() : open()));
  button.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen) close();
  });
  window.addEventListener('message', onMessage);
  phone.addEventListener('change', place);
  document.addEventListener('focusin', onFocusChange);
  document.addEventListener('focusout', onFocusChange);
  document.body.append(button);

  window.zhixunWidget = {
    siteKey,
    open,
    close,
    setElder(on: boolean) {
      isElder = on;
      tell({ type: 'elder', on });
    },
    destroy() {
      window.removeEventListener('message', onMessage);
      phone.removeEventListener('change', place);
      document.removeEventListener('focusin', onFocusChange);
      document.removeEventListener('focusout', onFocusChange);
      button.remove();
      frame?.remove();
      delete window.zhixunWidget;
    },
  };
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement) {
  if (document.body) install(current);
  else document.addEventListener('DOMContentLoaded', () => install(current));
}

export {};
