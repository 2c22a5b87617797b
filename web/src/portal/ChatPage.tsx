import { PlusOutlined, RobotOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { robot } from '../api/endpoints';
import type { RobotReply } from '../api/types';
import { useI18n } from '../i18n';
import { ErrorAlert, isNotAvailable } from '../shell/common';
import { renderPreview } from '../shell/markdown';

interface Message {
  from: 'me' | 'bot';
  text?: string;
  reply?: RobotReply;
}

/**
 * 智能问答: a chat with the robot (POST /api/v1/robot/ask). The robot module is built in
 * parallel; until its route exists this page says so instead of failing.
 */
export function ChatPage() {
  const { t } = useI18n();
  const [messages, setMessages] = useState<Message[]>([]);
  const [draft, setDraft] = useState('');
  const [sessionId, setSessionId] = useState<string | undefined>();
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [isUnavailable, setUnavailable] = useState(false);
  const logRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight, behavior: 'smooth' });
  }, [messages, isBusy]);

  async function ask(question: string) {
    const text = question.trim();
    if (!text || isBusy) return;
    setMessages((m) => [...m, { from: 'me', text }]);
    setDraft('');
    setBusy(true);
    setError(null);
    try {
      const reply = await robot.ask(text, sessionId);
      setSessionId(reply.sessionId);
      setMessages((m) => [...m, { from: 'bot', reply }]);
    } catch (err) {
      if (isNotAvailable(err)) setUnavailable(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title={
        <Space>
          <RobotOutlined />
          {t('chat.title')}
        </Space>
      }
      extra={
        <Button icon={<PlusOutlined />} onClick={() => { setMessages([]); setSessionId(undefined); setError(null); }}>
          {t('chat.newSession')}
        </Button>
      }
    >
      {isUnavailable && <Alert type="info" showIcon title={t('chat.unavailable')} style={{ marginBottom: 12 }} data-testid="chat-unavailable" />}
      <ErrorAlert error={error} />
      <div className="zx-chat">
        <div className="zx-chat-log" ref={logRef} data-testid="chat-log">
          <div className="zx-bubble-row">
            <div className="zx-bubble">{t('chat.welcome')}</div>
          </div>
          {messages.map((m, i) => (
            <div key={i} className={`zx-bubble-row ${m.from}`}>
              <div className="zx-bubble">{m.text ?? (m.reply && <BotReply reply={m.reply} onAsk={ask} />)}</div>
            </div>
          ))}
          {isBusy && (
            <div className="zx-bubble-row">
              <div className="zx-bubble">…</div>
            </div>
          )}
        </div>
        <Space.Compact style={{ width: '100%', marginTop: 12 }}>
          <Input
            size="large"
            value={draft}
            maxLength={500}
            placeholder={t('chat.placeholder')}
            onChange={(e) => setDraft(e.target.value)}
            onPressEnter={() => ask(draft)}
            data-testid="chat-input"
          />
          <Button size="large" type="primary" icon={<SendOutlined />} loading={isBusy} onClick={() => ask(draft)} data-testid="chat-send">
            {t('chat.send')}
          </Button>
        </Space.Compact>
      </div>
    </Card>
  );
}

function BotReply({ reply, onAsk }: { reply: RobotReply; onAsk: (q: string) => void }) {
  const { t } = useI18n();
  const entryLink = reply.entryId && (
    <div style={{ marginTop: 6 }}>
      <Link to={`/kb/${encodeURIComponent(reply.entryId)}`}>{t('chat.viewEntry')} →</Link>
    </div>
  );
  if (reply.type === 'answer')
    return (
      <div data-testid="chat-answer">
        {/* The robot answers in Markdown; rendered with raw HTML escaped and only safe links. */}
        <div className="zx-answer zx-chat-answer" dangerouslySetInnerHTML={{ __html: renderPreview(reply.answer ?? '') }} />
        {entryLink}
        <Tag style={{ marginTop: 6 }}>{t('chat.confidence', { p: `${Math.round(reply.confidence * 100)}%` })}</Tag>
      </div>
    );
  if (reply.type === 'clarify')
    return (
      <div data-testid="chat-clarify">
        {reply.answer && <div style={{ marginBottom: 6 }}>{reply.answer}</div>}
        <div>{t('chat.clarify')}</div>
        <Space orientation="vertical" size={4} style={{ marginTop: 6 }}>
          {reply.candidates.map((c) => (
            <Button key={c.entryId} size="small" onClick={() => onAsk(c.question)} style={{ whiteSpace: 'normal', height: 'auto', textAlign: 'left' }}>
              {c.question}
            </Button>
          ))}
        </Space>
      </div>
    );
  return (
    <div data-testid={`chat-${reply.type}`}>
      <Typography.Text>{reply.answer || (reply.type === 'handoff' ? t('chat.handoff') : t('chat.fallback'))}</Typography.Text>
      {reply.candidates.length > 0 && (
        <ul style={{ margin: '6px 0 0', paddingLeft: 18 }}>
          {reply.candidates.slice(0, 3).map((c) => (
            <li key={c.entryId}>
              <Link to={`/kb/${encodeURIComponent(c.entryId)}`}>{c.question}</Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
