/**
 * The embed script, served as /widget.js: any site adds the chat with
 *   <script src="https://HOST/widget.js" data-site-key="KEY" async></script>
 * It draws a floating 智能客服 button; the first click opens the widget page (/widget/frame) in an
 * iframe: a panel on a desktop, the whole screen on a phone. It imports nothing (it runs as a plain
 * script on someone else's page) and styles through the DOM, so a strict host CSP does not break it.
 * `window.zhixunWidget` lets a single-page site open, close or remove it.
 */

interface WidgetHandle {
  siteKey: string;
  open(): void;
  close(): void;
  destroy(): void;
}

declare global {
  interface Window {
    zhixunWidget?: WidgetHandle;
  }
}

const PHONE = '(max-width: 479px)';
const LABELS = { zh: { open: '智能客服', close: '关闭咨询窗口', unread: '条新消息' }, en: { open: 'Online help', close: 'Close the chat', unread: 'new' } };

function install(script: HTMLScriptElement) {
  const siteKey = script.getAttribute('data-site-key') ?? '';
  if (!siteKey) return console.error('zhixun widget: data-site-key is missing');
  if (window.zhixunWidget) return; // already on the page
  const host = new URL(script.src, location.href).origin;
  const lang: 'zh' | 'en' = script.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
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
  button.append(icon, label, badge);
  Object.assign(button.style, {
    position: 'fixed', right: '16px', bottom: '16px', zIndex: '2147483000', display: 'inline-flex', alignItems: 'center', gap: '8px',
    minHeight: '52px', padding: '0 20px', border: 'none', borderRadius: '26px', background: '#1456b8', color: '#fff',
    font: '600 17px/1 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', cursor: 'pointer',
    boxShadow: '0 8px 24px rgba(20, 86, 184, 0.35)',
  } satisfies Partial<CSSStyleDeclaration>);
  Object.assign(badge.style, { minWidth: '22px', height: '22px', padding: '0 6px', borderRadius: '11px', background: '#c8102e', color: '#fff', fontSize: '13px', lineHeight: '22px', textAlign: 'center' });

  let frame: HTMLIFrameElement | undefined;
  let isOpen = false;

  function place() {
    if (!frame) return;
    const full = phone.matches;
    Object.assign(frame.style, full
      ? { inset: '0', right: '0', bottom: '0', width: '100%', height: '100%', maxHeight: 'none', borderRadius: '0' }
      : { inset: 'auto', right: '20px', bottom: '84px', width: '400px', height: 'min(660px, calc(100vh - 108px))', maxHeight: 'none', borderRadius: '14px' });
    // on a phone the frame covers the page, and its own header has the close button
    button.style.display = isOpen && full ? 'none' : 'inline-flex';
  }

  function createFrame() {
    const iframe = document.createElement('iframe');
    const params = new URLSearchParams({ siteKey, mode: 'float', lang });
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
    button.setAttribute('aria-label', text.close);
    badge.hidden = true;
    place();
    frame.focus();
    tell({ type: 'open' });
  }

  function close() {
    if (!frame) return;
    isOpen = false;
    frame.style.display = 'none';
    button.setAttribute('aria-expanded', 'false');
    button.removeAttribute('aria-label');
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
      badge.setAttribute('aria-label', `${count} ${text.unread}`);
    }
  }

  button.addEventListener('click', () => (isOpen ? close() : open()));
  window.addEventListener('message', onMessage);
  phone.addEventListener('change', place);
  document.body.append(button);

  window.zhixunWidget = {
    siteKey,
    open,
    close,
    destroy() {
      window.removeEventListener('message', onMessage);
      phone.removeEventListener('change', place);
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
