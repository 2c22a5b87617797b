import { CalculatorOutlined, CustomerServiceOutlined, DislikeOutlined, LikeOutlined, PhoneOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Input, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { kb, robot } from '../api/endpoints';
import type { ChatInterview, RobotReply } from '../api/types';
import { useI18n } from '../i18n';
import { ErrorAlert, isNotAvailable } from '../shell/common';
import { renderPreview } from '../shell/markdown';
import { chatStore, useChatState, type ChatMessage } from './chatStore';

/**
 * The conversation with the robot (POST /api/v1/robot/ask), used by the 智能问答 page and the
 * floating 智能客服 panel. The robot answers (Markdown, link to the entry, 有用/没用), offers
 * "您是不是想问" choices, hands over to a person, refers to other hotlines, or runs a policy
 * calculation interview whose questions get quick-reply buttons.
 */
export function ChatPanel({ compact = false }: { compact?: boolean }) {
  const { t } = useI18n();
  const { messages, sessionId } = useChatState();
  const [draft, setDraft] = useState('');
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [isUnavailable, setUnavailable] = useState(false);
  const logRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight, behavior: 'smooth' });
  }, [messages.length, isBusy]);

  async function ask(question: string) {
    const text = question.trim();
    if (!text || isBusy) return;
    chatStore.add({ from: 'me', text });
    setDraft('');
    setBusy(true);
    setError(null);
    try {
      const reply = await robot.ask(text, chatStore.get().sessionId ?? sessionId);
      chatStore.add({ from: 'bot', reply }, reply.sessionId);
    } catch (err) {
      if (isNotAvailable(err)) setUnavailable(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  const lastBot = [...messages].reverse().find((m) => m.from === 'bot');
  return (
    <div className={compact ? 'zx-chat zx-chat-compact' : 'zx-chat'} data-testid="chat-panel">
      {isUnavailable && <Alert type="info" showIcon title={t('chat.unavailable')} style={{ marginBottom: 12 }} data-testid="chat-unavailable" />}
      <div className="zx-chat-log" ref={logRef} data-testid="chat-log" aria-live="polite">
        <div className="zx-bubble-row">
          <div className="zx-bubble">
            {t('chat.welcome')}
            <div className="zx-chat-starters">
              {(['chat.starter1', 'chat.starter2', 'chat.starter3'] as const).map((k) => (
                <Button key={k} size="small" shape="round" onClick={() => ask(t(k))} disabled={isBusy}>
                  {t(k)}
                </Button>
              ))}
            </div>
          </div>
        </div>
        {messages.map((m) => (
          <div key={m.id} className={`zx-bubble-row ${m.from}`}>
            <div className="zx-bubble">
              {m.from === 'me' ? m.text : m.reply && <BotReply message={m} reply={m.reply} isLatest={m.id === lastBot?.id} isBusy={isBusy} onAsk={ask} />}
            </div>
          </div>
        ))}
        {isBusy && (
          <div className="zx-bubble-row">
            <div className="zx-bubble zx-typing" aria-label={t('common.loading')}>
              <span />
              <span />
              <span />
            </div>
          </div>
        )}
      </div>
      <ErrorAlert error={error} style={{ marginTop: 8, marginBottom: 0 }} />
      <Space.Compact style={{ width: '100%', marginTop: 10 }}>
        <Input
          size={compact ? 'middle' : 'large'}
          value={draft}
          maxLength={500}
          placeholder={t('chat.placeholder')}
          onChange={(e) => setDraft(e.target.value)}
          onPressEnter={() => ask(draft)}
          data-testid="chat-input"
        />
        <Button size={compact ? 'middle' : 'large'} type="primary" icon={<SendOutlined />} loading={isBusy} onClick={() => ask(draft)} data-testid="chat-send">
          {t('chat.send')}
        </Button>
      </Space.Compact>
    </div>
  );
}

function Markdown({ text }: { text: string }) {
  // The robot answers in Markdown; rendered with raw HTML escaped and only safe links.
  return <div className="zx-answer zx-chat-answer" dangerouslySetInnerHTML={{ __html: renderPreview(text) }} />;
}

function BotReply({ message, reply, isLatest, isBusy, onAsk }: { message: ChatMessage; reply: RobotReply; isLatest: boolean; isBusy: boolean; onAsk: (q: string) => void }) {
  const { t } = useI18n();
  const referral = reply.referral && (
    <div className="zx-referral" data-testid="chat-referral">
      <PhoneOutlined />
      <span>
        {t('chat.referral', { topic: reply.referral.topic, agency: reply.referral.agency })}
        <a href={`tel:${reply.referral.hotline}`} className="zx-hotline">
          {reply.referral.hotline}
        </a>
      </span>
    </div>
  );

  if (reply.interview) return <InterviewReply reply={reply} interview={reply.interview} isLatest={isLatest} isBusy={isBusy} onAsk={onAsk} />;

  if (reply.type === 'answer')
    return (
      <div data-testid="chat-answer" data-entry={reply.entryId}>
        <Markdown text={reply.answer ?? ''} />
        {referral}
        {reply.entryId && (
          <div className="zx-chat-actions">
            <Link to={`/kb/${encodeURIComponent(reply.entryId)}`} data-testid="chat-entry-link">
              {t('chat.viewEntry')} →
            </Link>
            <Feedback message={message} entryId={reply.entryId} />
          </div>
        )}
      </div>
    );

  if (reply.type === 'clarify')
    return (
      <div data-testid="chat-clarify">
        <div style={{ marginBottom: 6 }}>{t('chat.clarify')}</div>
        <Space orientation="vertical" size={6} style={{ width: '100%' }}>
          {reply.candidates.map((c, i) => (
            <Button key={c.entryId} block onClick={() => onAsk(c.question)} disabled={isBusy} className="zx-chat-option" data-testid="chat-option" data-entry={c.entryId}>
              <span className="zx-option-no">{i + 1}</span>
              {c.question}
            </Button>
          ))}
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 6 }}>
          {t('chat.clarifyHint')}
        </Typography.Text>
        {referral}
      </div>
    );

  if (reply.type === 'handoff')
    return (
      <div data-testid="chat-handoff">
        <Alert
          type="info"
          icon={<CustomerServiceOutlined />}
          showIcon
          title={<strong>{t('chat.handoffTitle')}</strong>}
          description={
            <>
              {reply.answer && reply.answer !== t('chat.handoffTitle') && <div>{reply.answer}</div>}
              <div>{t('chat.handoffAgent')}</div>
              <div>{t('chat.handoffOffHours')}</div>
            </>
          }
        />
        {referral}
      </div>
    );

  // fallback: the robot's message, with the other agency's hotline when the question belongs there
  return (
    <div data-testid="chat-fallback">
      <Markdown text={reply.answer || t('chat.fallback')} />
      {referral}
    </div>
  );
}

function Feedback({ message, entryId }: { message: ChatMessage; entryId: string }) {
  const { t } = useI18n();
  const [isBusy, setBusy] = useState(false);
  async function vote(helpful: boolean) {
    setBusy(true);
    try {
      await kb.feedback(entryId, helpful);
      chatStore.rate(message.id, helpful ? 'helpful' : 'unhelpful');
    } catch {
      /* a lost rating is not worth an error in the chat */
    } finally {
      setBusy(false);
    }
  }
  if (message.feedback)
    return (
      <Typography.Text type="success" style={{ fontSize: 12 }} data-testid="chat-feedback-thanks">
        {t('entry.thanks')}
      </Typography.Text>
    );
  return (
    <Space size={4}>
      <Button size="small" type="text" icon={<LikeOutlined />} disabled={isBusy} onClick={() => vote(true)} data-testid="chat-helpful">
        {t('entry.helpful')}
      </Button>
      <Button size="small" type="text" icon={<DislikeOutlined />} disabled={isBusy} onClick={() => vote(false)} data-testid="chat-unhelpful">
        {t('entry.unhelpful')}
      </Button>
    </Space>
  );
}

/** A step of a calculation interview: the question (or the result) with quick replies. */
function InterviewReply({ reply, interview, isLatest, isBusy, onAsk }: { reply: RobotReply; interview: ChatInterview; isLatest: boolean; isBusy: boolean; onAsk: (q: string) => void }) {
  const { t } = useI18n();
  const q = interview.question;
  const isDone = interview.status === 'complete' || interview.status === 'conditional';
  return (
    <div data-testid="chat-interview" data-status={interview.status}>
      <Markdown text={reply.answer ?? ''} />
      {isDone && (
        <div className="zx-chat-actions" data-testid="chat-interview-result">
          <Link to={`/calculators/${encodeURIComponent(interview.rulesetId)}`}>
            <CalculatorOutlined /> {t('chat.openCalculator')}
          </Link>
        </div>
      )}
      {isLatest && interview.status === 'need_input' && q && <QuickReplies question={q} isBusy={isBusy} onAsk={onAsk} />}
    </div>
  );
}

function QuickReplies({ question, isBusy, onAsk }: { question: NonNullable<ChatInterview['question']>; isBusy: boolean; onAsk: (q: string) => void }) {
  const { t } = useI18n();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const type = question.type.replace(/\(.*\)$/, '');
  const options = question.options?.length
    ? question.options.map((o) => ({ key: o.id, label: o.label, send: o.label }))
    : type === 'boolean'
      ? [{ key: 'yes', label: t('common.yes'), send: '是' }, { key: 'no', label: t('common.no'), send: '否' }]
      : [];
  return (
    <div className="zx-quick-replies" data-testid="chat-quick-replies" data-question={question.id}>
      {options.map((o) => (
        <Button key={o.key} shape="round" onClick={() => onAsk(o.send)} disabled={isBusy} data-testid="chat-quick-reply" data-value={o.key}>
          {o.label}
        </Button>
      ))}
      {/* sent as 1971年6月, the form the robot reads in any channel */}
      {type === 'yearMonth' && (
        <Space.Compact>
          <DatePicker
            picker="month"
            value={month}
            onChange={setMonth}
            placeholder={t('chat.pickMonth')}
            defaultPickerValue={dayjs('1975-01-01')}
            format="YYYY-MM"
            inputReadOnly={false}
            data-testid="chat-month-picker"
          />
          <Button type="primary" disabled={!month || isBusy} onClick={() => month && onAsk(month.format('YYYY年M月'))} data-testid="chat-month-send">
            {t('chat.send')}
          </Button>
        </Space.Compact>
      )}
      {(type === 'integer' || type === 'decimal' || type === 'money') && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('chat.typeNumber')}
        </Typography.Text>
      )}
      <Button shape="round" type="dashed" onClick={() => onAsk('不知道')} disabled={isBusy} data-testid="chat-dont-know">
        {t('calc.dontKnow')}
      </Button>
      <Button shape="round" type="text" onClick={() => onAsk('退出')} disabled={isBusy} data-testid="chat-quit">
        {t('chat.quitInterview')}
      </Button>
    </div>
  );
}
