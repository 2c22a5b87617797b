import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import type { Conversation } from '../../../common/conversations';
import { useI18n, type Translate } from '../i18n';
import { ChatSession } from './chatSession';
import { MessageItem, PendingItem } from './MessageItem';
import { Survey } from './Survey';

/** float: opened from the floating button (it can close itself); page: a page of its own. */
export type WidgetMode = 'float' | 'page';

/** Tells the page that embeds us (the loader script) something harmless: close me, unread count. */
function tellHost(message: { type: 'ready' | 'close' } | { type: 'unread'; count: number }) {
  if (window.parent !== window) window.parent.postMessage({ source: 'zhixun-widget', ...message }, '*');
}

function statusText(t: Translate, c: Conversation | null) {
  if (!c) return '';
  if (c.status === 'queued') return c.isLeftMessage ? t('widget.statusLeftMessage') : t('widget.statusQueued');
  if (c.status === 'assigned') return t('widget.statusAssigned', { name: c.assignee?.name ?? '' });
  if (c.status === 'resolved') return t('widget.statusResolved');
  return t('widget.statusBot');
}

/**
 * The citizen's chat: the robot first, then the queue with its live position, then an agent; a
 * survey and a new conversation after the close. Built for a phone held by an older person: large
 * text and buttons, every control reachable by keyboard, new messages read out (aria-live).
 */
export function WidgetApp({ siteKey, mode }: { siteKey: string; mode: WidgetMode }) {
  const { t, lang, setLang } = useI18n();
  const session = useMemo(() => new ChatSession(siteKey), [siteKey]);
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const { conversation, messages, pending } = state;
  const [isOpen, setOpen] = useState(mode === 'page');
  const [draft, setDraft] = useState('');
  const [unread, setUnread] = useState(0);
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const seenSeq = useRef(0);

  useEffect(() => {
    void session.open();
    return () => session.close();
  }, [session]);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('widget.title');
  }, [lang, t]);

  // the loader says when the panel opens and closes
  useEffect(() => {
    if (mode !== 'float') return;
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { source?: string; type?: string };
      if (event.source !== window.parent || data?.source !== 'zhixun-widget') return;
      if (data.type === 'open') {
        setOpen(true);
        setUnread(0);
      }
      if (data.type === 'close') setOpen(false);
    };
    window.addEventListener('message', onMessage);
    tellHost({ type: 'ready' });
    return () => window.removeEventListener('message', onMessage);
  }, [mode]);

  // opened with a keyboard or mouse: the cursor waits in the input (on a touch screen the keyboard
  // would cover half of the answers, so there the citizen taps the input first)
  useEffect(() => {
    if (isOpen && state.phase === 'ready' && mode === 'float' && window.matchMedia('(pointer: fine)').matches) inputRef.current?.focus();
  }, [isOpen, state.phase, mode]);

  // Escape closes the panel, wherever the focus is in the frame
  useEffect(() => {
    if (mode !== 'float') return;
    const onKey = (e: globalThis.KeyboardEvent) => e.key === 'Escape' && tellHost({ type: 'close' });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mode]);

  // new answers: scroll to them, count them while the panel is closed, mark them read while open
  const lastSeq = messages.at(-1)?.seq ?? 0;
  useEffect(() => {
    // after the layout settles: a survey or queue banner appearing makes the log shorter
    requestAnimationFrame(() => logRef.current?.scrollTo({ top: logRef.current.scrollHeight }));
    const fresh = messages.filter((m) => m.seq > seenSeq.current && m.sender !== 'customer').length;
    const isFirstLoad = seenSeq.current === 0;
    seenSeq.current = lastSeq;
    if (!isOpen && fresh && !isFirstLoad) setUnread((n) => n + fresh);
  }, [lastSeq, pending.length, state.isAgentTyping, conversation?.status, state.phase]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (mode === 'float') tellHost({ type: 'unread', count: unread });
  }, [unread, mode]);
  useEffect(() => {
    const markRead = () => isOpen && document.visibilityState === 'visible' && session.markRead();
    markRead();
    document.addEventListener('visibilitychange', markRead);
    return () => document.removeEventListener('visibilitychange', markRead);
  }, [isOpen, lastSeq, state.connection, session]);

  const send = (text: string) => {
    if (!text.trim()) return;
    session.send(text);
    setDraft('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter while an input method is composing Chinese picks the characters; it does not send
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send(draft);
    }
  };

  const status = conversation?.status;
  const isBot = status === 'bot';
  const isClosed = status === 'resolved';
  const lastMessage = messages.at(-1);
  const hasSurvey = messages.some((m) => m.survey);
  const lastCustomerRead = [...messages].reverse().find((m) => m.sender === 'customer' && m.seq <= state.agentReadSeq)?.seq;

  return (
    <div className={`zw zw-${mode}`}>
      <header className="zw-head">
        <div className="zw-head-text">
          <h1>{t('widget.title')}</h1>
          <p data-testid="widget-status" data-status={status ?? ''}>
            {statusText(t, conversation)}
          </p>
        </div>
        <button type="button" className="zw-head-button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} lang={lang === 'zh' ? 'en' : 'zh'}>
          {t('widget.language')}
        </button>
        {mode === 'float' && (
          <button type="button" className="zw-head-button zw-close" onClick={() => tellHost({ type: 'close' })} aria-label={t('chat.close')} data-testid="widget-close">
            <span aria-hidden="true">×</span>
          </button>
        )}
      </header>

      {state.connection === 'offline' && state.phase === 'ready' && (
        <div className="zw-banner zw-offline" role="status">
          {t('widget.offline')}
        </div>
      )}

      {state.phase === 'error' && (
        <div className="zw-error" role="alert">
          <p>{t('widget.loadFailed')}</p>
          <button type="button" className="zw-primary" onClick={() => void session.open()}>
            {t('widget.retry')}
          </button>
        </div>
      )}
      {state.phase === 'loading' && (
        <div className="zw-loading" role="status">
          {t('common.loading')}
        </div>
      )}

      {state.phase === 'ready' && (
        <div className="zw-log" ref={logRef} role="log" aria-live="polite" aria-relevant="additions" aria-label={t('widget.title')} data-testid="widget-log" tabIndex={0}>
          {messages.map((m) => (
            <MessageItem
              key={m.seq}
              message={m}
              isLatest={m.seq === lastMessage?.seq && !pending.length}
              canAsk={isBot}
              isRead={m.seq === lastCustomerRead}
              onAsk={send}
              onCalculate={(rulesetId) => session.send(t('widget.calculate'), { startCalculation: rulesetId })}
            />
          ))}
          {pending.map((p) => (
            <PendingItem key={p.clientMessageId} pending={p} onResend={() => session.resend(p.clientMessageId)} />
          ))}
          {state.isAgentTyping && (
            <div className="zw-typing" data-testid="widget-typing">
              <span className="zw-dots" aria-hidden="true">
                <i />
                <i />
                <i />
              </span>
              {t('widget.agentTyping')}
            </div>
          )}
        </div>
      )}

      {status === 'queued' && (
        <div className="zw-banner zw-queue" role="status" data-testid="widget-queue" data-position={conversation?.queue?.position ?? ''}>
          {conversation?.isLeftMessage
            ? t('widget.leftMessage')
            : conversation?.queue && t('widget.queue', { ahead: conversation.queue.position - 1, minutes: Math.max(1, Math.ceil(conversation.queue.estimatedWaitSeconds / 60)) })}
        </div>
      )}

      {state.phase === 'ready' && isClosed && (
        <footer className="zw-closed">
          {hasSurvey && conversation && <Survey rating={conversation.rating} onRate={(score, comment) => session.rate(score, comment)} />}
          {!hasSurvey && <p className="zw-closed-note">{t('widget.closedInput')}</p>}
          <button
            type="button"
            // while the survey waits for an answer, it is the main action
            className={hasSurvey && !conversation?.rating ? 'zw-secondary zw-wide' : 'zw-primary zw-wide'}
            onClick={() => void session.startNew()}
            data-testid="widget-new-conversation"
          >
            {t('widget.newConversation')}
          </button>
        </footer>
      )}

      {state.phase === 'ready' && !isClosed && (
        <footer className="zw-composer">
          {isBot && (
            <button type="button" className="zw-chip" onClick={() => send('转人工')} data-testid="widget-ask-human">
              {t('widget.askHuman')}
            </button>
          )}
          <div className="zw-compose-row">
            <label htmlFor="zw-input" className="zw-sr">
              {t('widget.inputLabel')}
            </label>
            <input
              id="zw-input"
              ref={inputRef}
              value={draft}
              maxLength={1000}
              autoComplete="off"
              enterKeyHint="send"
              placeholder={t('widget.placeholder')}
              onChange={(e) => {
                setDraft(e.target.value);
                session.typing();
              }}
              onKeyDown={onKeyDown}
              data-testid="widget-input"
            />
            <button type="button" className="zw-primary" onClick={() => send(draft)} disabled={!draft.trim()} data-testid="widget-send">
              {t('chat.send')}
            </button>
          </div>
        </footer>
      )}
    </div>
  );
}
