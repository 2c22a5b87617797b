import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import type { Conversation } from '../../../common/conversations';
import { useI18n, type Translate } from '../i18n';
import { ChatSession } from './chatSession';
import { useElderMode } from './elder-mode';
import { useFocusTrap } from './focus-trap';
import { MessageItem, PendingItem } from './MessageItem';
import { useReadAloud } from './read-aloud';
import { Survey } from './Survey';

/** float: opened from the floating button (it can close itself); page: a page of its own. */
export type WidgetMode = 'float' | 'page';

/** What the robot understands as a request for an agent (its 转人工 button sends it too). */
const ASK_HUMAN = '转人工';

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
 * text and buttons (larger still in elderly mode), every control reachable by keyboard, new
 * messages announced (role=log) and answers read aloud on request.
 *
 * isElderAsked: the embedding site asked for elderly mode; wantsHuman: opened to ask for an agent
 * (the portal's 转人工, /chat?human=1).
 */
export function WidgetApp({ siteKey, mode, isElderAsked = false, wantsHuman = false }: { siteKey: string; mode: WidgetMode; isElderAsked?: boolean; wantsHuman?: boolean }) {
  const { t, lang, setLang } = useI18n();
  const [isElder, setElder] = useElderMode(isElderAsked);
  const readAloud = useReadAloud(lang);
  const panelRef = useRef<HTMLDivElement>(null);
  const hasAskedHuman = useRef(!wantsHuman);
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

  // opened with a keyboard or mouse: the cursor waits in the input. On a touch screen the keyboard
  // would cover half of the answers, so there the panel itself takes the focus (a screen reader
  // starts at its name) and the citizen taps the input when ready.
  useEffect(() => {
    if (!isOpen || state.phase !== 'ready' || mode !== 'float') return;
    const input = window.matchMedia('(pointer: fine)').matches ? inputRef.current : null;
    (input ?? panelRef.current)?.focus();
  }, [isOpen, state.phase, mode]);

  // Escape closes the panel, wherever the focus is in the frame (not while an input method is composing)
  useEffect(() => {
    if (mode !== 'float') return;
    const onKey = (e: globalThis.KeyboardEvent) => e.key === 'Escape' && !e.isComposing && tellHost({ type: 'close' });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mode]);
  useFocusTrap(panelRef, mode === 'float' && isOpen);
  const { stop: stopReading } = readAloud;
  useEffect(() => {
    if (!isOpen) stopReading();
  }, [isOpen, stopReading]);

  // new answers: scroll to them, count them while the panel is closed, mark them read while open
  const lastSeq = messages.at(-1)?.seq ?? 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the log's content or height changes (the listed values); opening the panel must not count the same answers again
  useEffect(() => {
    // after the layout settles: a survey or queue banner appearing makes the log shorter
    requestAnimationFrame(() => logRef.current?.scrollTo({ top: logRef.current.scrollHeight }));
    const fresh = messages.filter((m) => m.seq > seenSeq.current && m.sender !== 'customer').length;
    const isFirstLoad = seenSeq.current === 0;
    seenSeq.current = lastSeq;
    if (!isOpen && fresh && !isFirstLoad) setUnread((n) => n + fresh);
  }, [lastSeq, pending.length, state.isAgentTyping, conversation?.status, state.phase]);
  useEffect(() => {
    if (mode === 'float') tellHost({ type: 'unread', count: unread });
  }, [unread, mode]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: lastSeq and the connection are triggers, not read: a new answer or a reconnect while open is marked read again
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

  // asked for an agent (/chat?human=1): once, with the 转人工 the button sends; a finished
  // conversation is followed by a new one first, one already with the agents is left as it is
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the conversation or its status changes, not on every new message in it
  useEffect(() => {
    if (hasAskedHuman.current || state.phase !== 'ready' || !conversation) return;
    if (conversation.status === 'resolved') {
      void session.startNew().catch(() => undefined);
      return;
    }
    hasAskedHuman.current = true;
    if (conversation.status === 'bot') session.send(ASK_HUMAN);
  }, [state.phase, conversation?.id, conversation?.status, session]);

  const status = conversation?.status;
  const isBot = status === 'bot';
  const isClosed = status === 'resolved';
  // the agent closed the conversation while the citizen was in the input, which has gone: the focus
  // moves to the survey (or 开始新的咨询) instead of being lost
  const closedRef = useRef<HTMLElement>(null);
  const seenBefore = useRef<{ id?: string; isClosed: boolean }>({ isClosed: false });
  useEffect(() => {
    // closed just now, not a closed conversation shown on opening
    const hasJustClosed = isClosed && seenBefore.current.id === conversation?.id && !seenBefore.current.isClosed;
    seenBefore.current = { id: conversation?.id, isClosed };
    if (!hasJustClosed || !isOpen || state.phase !== 'ready') return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    closedRef.current?.querySelector<HTMLElement>('input, button')?.focus();
  }, [isClosed, isOpen, state.phase, conversation?.id]);
  const lastMessage = messages.at(-1);
  const hasSurvey = messages.some((m) => m.survey);
  const lastCustomerRead = [...messages].reverse().find((m) => m.sender === 'customer' && m.seq <= state.agentReadSeq)?.seq;

  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-modal is set only together with role=dialog (the floating panel); the rule cannot see the two conditions agree
    <div
      ref={panelRef}
      className={`zw zw-${mode}`}
      // the floating panel is a dialog over the page; on a page of its own it is the page
      role={mode === 'float' ? 'dialog' : undefined}
      aria-modal={mode === 'float' ? true : undefined}
      aria-label={mode === 'float' ? t('widget.title') : undefined}
      tabIndex={mode === 'float' ? -1 : undefined}
    >
      <header className="zw-head">
        <div className="zw-head-text">
          <h1>{t('widget.title')}</h1>
          <p data-testid="widget-status" data-status={status ?? ''}>
            {statusText(t, conversation)}
          </p>
        </div>
        <div className="zw-tools">
          <button type="button" className="zw-head-button zw-elder-toggle" onClick={() => setElder(!isElder)} aria-pressed={isElder} title={t('widget.elderHint')} data-testid="widget-elder">
            <span aria-hidden="true" className="zw-elder-icon">
              A+
            </span>
            {t('widget.elder')}
          </button>
          <button type="button" className="zw-head-button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} lang={lang === 'zh' ? 'en' : 'zh'} data-testid="widget-language">
            {t('widget.language')}
          </button>
        </div>
        {mode === 'float' && (
          <button type="button" className="zw-head-button zw-close" onClick={() => tellHost({ type: 'close' })} aria-label={t('chat.close')} data-testid="widget-close">
            <span aria-hidden="true">×</span>
          </button>
        )}
      </header>

      <main className="zw-body">
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
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls, and a keyboard user scrolls it only once it can take focus
          <div className="zw-log" ref={logRef} role="log" aria-live="polite" aria-relevant="additions" aria-label={t('widget.messages')} data-testid="widget-log" tabIndex={0}>
            {messages.map((m) => (
              <MessageItem
                key={m.seq}
                message={m}
                isLatest={m.seq === lastMessage?.seq && !pending.length}
                canAsk={isBot}
                isRead={m.seq === lastCustomerRead}
                onAsk={send}
                onCalculate={(rulesetId) => session.send(t('widget.calculate'), { startCalculation: rulesetId })}
                readAloud={readAloud}
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
          <footer className="zw-closed" ref={closedRef}>
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
              <button type="button" className="zw-chip" onClick={() => {
                  send(ASK_HUMAN);
                  inputRef.current?.focus(); // the button goes away with the robot: the focus must not go with it
                }} data-testid="widget-ask-human">
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
      </main>
    </div>
  );
}
