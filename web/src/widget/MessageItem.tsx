import { useRef, useState } from 'react';
import type { Interview, Message } from '../../../common/conversations';
import { useI18n } from '../i18n';
import { renderPreview } from '../shell/markdown';
import { widgetApi } from './api';
import type { PendingMessage } from './chatSession';
import type { ReadAloud } from './read-aloud';

/** Robot and agent answers are Markdown: rendered with raw HTML escaped and only safe links. */
function Markdown({ text }: { text: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: renderPreview (shell/markdown.ts) escapes raw HTML and keeps only safe link schemes
  return <div className="zw-md" dangerouslySetInnerHTML={{ __html: renderPreview(text) }} />;
}

/**
 * One message of the conversation. The robot's may carry choices (starter questions, 您是不是想问),
 * a calculator it offers with its answer ("帮我算一算"), a calculator question with its answers as
 * buttons, or a calculation's result.
 */
export function MessageItem({
  message: m,
  isLatest,
  canAsk,
  isRead,
  onAsk,
  onCalculate,
  readAloud,
}: {
  message: Message;
  isLatest: boolean;
  canAsk: boolean;
  isRead: boolean;
  onAsk: (text: string) => void;
  /** takes up the calculator the robot offered */
  onCalculate?: (rulesetId: string) => void;
  /** 朗读 on the robot's and the agents' messages, where the browser can speak */
  readAloud?: ReadAloud;
}) {
  const { t } = useI18n();
  const textRef = useRef<HTMLDivElement>(null);
  const canReadAloud = !!readAloud?.isSupported && (m.sender === 'robot' || m.sender === 'agent');
  const who =
    m.sender === 'customer' ? t('widget.senderMe') : m.sender === 'robot' ? t('widget.senderRobot') : m.sender === 'agent' ? `${t('widget.senderAgent')} ${m.senderName ?? ''}`.trim() : t('widget.senderSystem');
  const isAnswer = m.sender === 'robot' && m.entryId && !m.interview;
  return (
    <div className={`zw-row zw-from-${m.sender}`} data-testid="widget-message" data-sender={m.sender} data-seq={m.seq} data-entry={m.entryId ?? undefined}>
      {m.sender === 'agent' && <div className="zw-who" aria-hidden="true">{who}</div>}
      <div className="zw-bubble">
        <span className="zw-sr">{t('widget.says', { who })}</span>
        <div ref={textRef}>{m.format === 'markdown' ? <Markdown text={m.text} /> : <div className="zw-plain">{m.text}</div>}</div>
        {canReadAloud && <ReadAloudButton speechKey={String(m.seq)} readAloud={readAloud!} text={() => textRef.current?.innerText ?? m.text} />}
        {m.interview && <InterviewPart interview={m.interview} isActive={isLatest && canAsk} onAsk={onAsk} />}
        {!!m.options?.length && (
          <fieldset className="zw-options" aria-label={t('widget.options')}>
            {m.options.map((o, i) => (
              <button key={o.entryId} type="button" className="zw-option" onClick={() => onAsk(o.question)} disabled={!canAsk} data-testid="widget-option" data-entry={o.entryId}>
                <span className="zw-option-no" aria-hidden="true">
                  {i + 1}
                </span>
                {o.question}
              </button>
            ))}
          </fieldset>
        )}
        {m.calculatorOffer && onCalculate && (
          <div className="zw-offer">
            <button
              type="button"
              className="zw-choice"
              onClick={() => onCalculate(m.calculatorOffer!.rulesetId)}
              disabled={!canAsk}
              title={t('widget.calculateTitle', { name: m.calculatorOffer.name })}
              data-testid="widget-calculate"
              data-ruleset={m.calculatorOffer.rulesetId}
            >
              {t('widget.calculate')}
            </button>
          </div>
        )}
        {isAnswer && <AnswerActions entryId={m.entryId!} />}
      </div>
      {isRead && (
        <div className="zw-read" data-testid="widget-read">
          {t('widget.read')}
        </div>
      )}
    </div>
  );
}

/** 朗读 one message (its text as shown, without Markdown marks), and 停止 while it is spoken. */
function ReadAloudButton({ speechKey, readAloud, text }: { speechKey: string; readAloud: ReadAloud; text: () => string }) {
  const { t } = useI18n();
  const isSpeaking = readAloud.speakingKey === speechKey;
  return (
    <button type="button" className="zw-speak" onClick={() => (isSpeaking ? readAloud.stop() : readAloud.speak(speechKey, text()))} data-testid="widget-read-aloud" data-speaking={isSpeaking}>
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        {isSpeaking ? <rect x="6" y="6" width="12" height="12" rx="2" fill="currentColor" /> : <path fill="currentColor" d="M3 9v6h4l5 4V5L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z" />}
      </svg>
      {isSpeaking ? t('widget.stopReading') : t('widget.readAloud')}
    </button>
  );
}

/** A message typed but not yet stored: shown at once, marked until the server confirms it. */
export function PendingItem({ pending, onResend }: { pending: PendingMessage; onResend: () => void }) {
  const { t } = useI18n();
  return (
    <div className="zw-row zw-from-customer zw-pending" data-testid="widget-pending" data-state={pending.state}>
      <div className="zw-bubble">
        <span className="zw-sr">{t('widget.says', { who: t('widget.senderMe') })}</span>
        <div className="zw-plain">{pending.text}</div>
      </div>
      <div className="zw-read">
        {pending.state === 'sending' ? (
          t('widget.sending')
        ) : (
          <>
            <span className="zw-failed">{pending.error ? `${t('widget.sendFailed')}：${pending.error}` : t('widget.sendFailed')}</span>{' '}
            <button type="button" className="zw-link" onClick={onResend}>
              {t('widget.resend')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}

function AnswerActions({ entryId }: { entryId: string }) {
  const { t } = useI18n();
  const [vote, setVote] = useState<'sent' | 'sending' | undefined>();
  const send = async (helpful: boolean) => {
    setVote('sending');
    try {
      await widgetApi.entryFeedback(entryId, helpful);
    } catch {
      /* a lost vote is not worth an error in the chat */
    }
    setVote('sent');
  };
  return (
    <div className="zw-actions">
      <a href={`/kb/${encodeURIComponent(entryId)}`} rel="noopener" data-testid="widget-entry-link">
        {t('chat.viewEntry')} →
      </a>
      {vote === 'sent' ? (
        <span className="zw-thanks" data-testid="widget-feedback-thanks">
          {t('entry.thanks')}
        </span>
      ) : (
        <span className="zw-votes">
          <button type="button" className="zw-link" disabled={!!vote} onClick={() => void send(true)} data-testid="widget-helpful">
            {t('entry.helpful')}
          </button>
          <button type="button" className="zw-link" disabled={!!vote} onClick={() => void send(false)} data-testid="widget-unhelpful">
            {t('entry.unhelpful')}
          </button>
        </span>
      )}
    </div>
  );
}

/** A calculator's question with its answers as buttons (while it is the latest message), or its result. */
function InterviewPart({ interview, isActive, onAsk }: { interview: Interview; isActive: boolean; onAsk: (text: string) => void }) {
  const { t } = useI18n();
  const [month, setMonth] = useState('');
  const q = interview.question;
  const isDone = interview.status === 'complete' || interview.status === 'conditional';
  const type = q?.type.replace(/\(.*\)$/, '') ?? '';
  const choices = q?.options?.length
    ? q.options.map((o) => ({ key: o.id, label: o.label, send: o.label }))
    : type === 'boolean'
      ? [{ key: 'yes', label: t('common.yes'), send: '是' }, { key: 'no', label: t('common.no'), send: '否' }]
      : [];
  return (
    <div className="zw-interview" data-testid="widget-interview" data-status={interview.status} data-question={q?.id}>
      {isDone && (
        <div className="zw-actions">
          <a href={`/calculators/${encodeURIComponent(interview.rulesetId)}`} rel="noopener" data-testid="widget-interview-result">
            {t('widget.resultLink')} →
          </a>
        </div>
      )}
      {isActive && interview.status === 'need_input' && q && (
        <fieldset className="zw-choices" aria-label={q.text}>
          {choices.map((c) => (
            <button key={c.key} type="button" className="zw-choice" onClick={() => onAsk(c.send)} data-testid="widget-choice" data-value={c.key}>
              {c.label}
            </button>
          ))}
          {type === 'yearMonth' && (
            <form
              className="zw-month"
              onSubmit={(e) => {
                e.preventDefault();
                const [y, mo] = month.split('-');
                // sent as 1971年6月, the form the robot reads on every channel
                if (y && mo) onAsk(`${y}年${Number(mo)}月`);
              }}
            >
              <label className="zw-sr" htmlFor={`zw-month-${q.id}`}>
                {t('chat.pickMonth')}
              </label>
              <input id={`zw-month-${q.id}`} type="month" value={month} min="1940-01" max="2030-12" onChange={(e) => setMonth(e.target.value)} data-testid="widget-month" />
              <button type="submit" className="zw-primary" disabled={!month} data-testid="widget-month-send">
                {t('widget.sendMonth')}
              </button>
            </form>
          )}
          {(type === 'integer' || type === 'decimal' || type === 'money') && <p className="zw-hint">{t('chat.typeNumber')}</p>}
          <button type="button" className="zw-choice zw-choice-quiet" onClick={() => onAsk('不知道')} data-testid="widget-dont-know">
            {t('calc.dontKnow')}
          </button>
          <button type="button" className="zw-choice zw-choice-quiet" onClick={() => onAsk('退出')} data-testid="widget-quit">
            {t('chat.quitInterview')}
          </button>
        </fieldset>
      )}
    </div>
  );
}
