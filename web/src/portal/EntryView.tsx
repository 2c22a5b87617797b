import { DislikeOutlined, LikeOutlined, PauseCircleOutlined, SoundOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Divider, Form, Input, List, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { kb } from '../api/endpoints';
import type { EntrySummary, ServedEntry } from '../api/types';
import { formatDateTime, useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';

/** An entry as served: category path, question, sanitized answer HTML, references. `headingLevel` 1 on a page of its own. */
export function EntryBody({ entry, headingLevel = 3 }: { entry: ServedEntry; headingLevel?: 1 | 3 }) {
  const { t, lang } = useI18n();
  const answerRef = useRef<HTMLDivElement>(null);
  return (
    <div data-testid="entry-view">
      <Breadcrumb items={entry.categoryPath.split(' / ').map((name) => ({ title: name }))} style={{ marginBottom: 8 }} />
      <Typography.Title level={headingLevel} style={{ marginTop: 0, fontSize: headingLevel === 1 ? '1.55em' : undefined }} data-testid="entry-question">
        {entry.question}
      </Typography.Title>
      <Space wrap size={[8, 4]} style={{ marginBottom: 16 }}>
        {entry.audience === 'staff' && <Tag color="orange">{t('entry.staffOnly')}</Tag>}
        <Tag data-testid="entry-version">{t('entry.version', { v: entry.version })}</Tag>
        <Typography.Text type="secondary">{t('entry.updated', { d: formatDateTime(entry.updatedAt, lang) })}</Typography.Text>
        {(entry.effectiveFrom || entry.expiresAt) && (
          <Typography.Text type="secondary">{t('entry.effective', { from: entry.effectiveFrom ?? '—', to: entry.expiresAt ?? '—' })}</Typography.Text>
        )}
      </Space>
      <ReadAloudButton key={entry.id} text={() => `${entry.question}。\n${answerRef.current?.innerText ?? ''}`} />
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: answerHtml is rendered from Markdown and sanitized by the server (sanitize-html, strict allow-list, knowledge/presenter.ts) */}
      <div ref={answerRef} className="zx-answer" data-testid="entry-answer-html" dangerouslySetInnerHTML={{ __html: entry.answerHtml }} />
      {entry.references.length > 0 && (
        <>
          <Divider titlePlacement="start" plain>
            {t('entry.references')}
          </Divider>
          <ul style={{ paddingLeft: 20, margin: 0 }} data-testid="entry-references">
            {entry.references.map((r) => (
              <li key={r}>
                <Typography.Text type="secondary">{r}</Typography.Text>
              </li>
            ))}
          </ul>
        </>
      )}
      {entry.similar.length > 0 && (
        <div style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{t('entry.similar')}：</Typography.Text>
          {entry.similar.slice(0, 8).map((s) => (
            <Tag key={s} style={{ marginBottom: 4 }}>
              {s}
            </Tag>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * 朗读: reads the answer aloud with the browser's own speech synthesis, in the interface's
 * language, and turns into 停止 while it speaks. Not shown where the browser has none.
 */
function ReadAloudButton({ text }: { text: () => string }) {
  const { t, lang } = useI18n();
  const [isSpeaking, setSpeaking] = useState(false);
  const speech = typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance !== 'undefined' ? window.speechSynthesis : null;
  // leaving the page (or the entry) stops the voice
  useEffect(() => () => speech?.cancel(), [speech]);
  if (!speech) return null;
  const toggle = () => {
    if (isSpeaking) {
      speech.cancel();
      setSpeaking(false);
      return;
    }
    speech.cancel(); // another page's reading, if any
    const utterance = new SpeechSynthesisUtterance(text());
    utterance.lang = lang === 'zh' ? 'zh-CN' : 'en-GB';
    utterance.rate = 0.9; // a little slower than the default, for older listeners
    utterance.onend = () => setSpeaking(false);
    utterance.onerror = () => setSpeaking(false);
    setSpeaking(true);
    speech.speak(utterance);
  };
  return (
    <div className="zx-read-aloud">
      <Button
        icon={isSpeaking ? <PauseCircleOutlined /> : <SoundOutlined />}
        aria-label={isSpeaking ? t('entry.stopReadingLabel') : t('entry.readAloudLabel')}
        onClick={toggle}
        data-testid="entry-read-aloud"
        data-speaking={isSpeaking ? 'true' : 'false'}
      >
        {isSpeaking ? t('entry.stopReading') : t('entry.readAloud')}
      </Button>
    </div>
  );
}

/** 有用/没用 buttons; one vote per page view. */
export function FeedbackBar({ entryId }: { entryId: string }) {
  const { t } = useI18n();
  const [voted, setVoted] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function vote(helpful: boolean) {
    try {
      await kb.feedback(entryId, helpful);
      setVoted(helpful);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <div>
      <ErrorAlert error={error} />
      <Space wrap>
        <Typography.Text>{t('entry.helpfulQ')}</Typography.Text>
        <Button icon={<LikeOutlined />} type={voted === true ? 'primary' : 'default'} disabled={voted !== null} onClick={() => vote(true)} data-testid="feedback-helpful">
          {t('entry.helpful')}
        </Button>
        <Button icon={<DislikeOutlined />} danger={voted === false} disabled={voted !== null} onClick={() => vote(false)} data-testid="feedback-unhelpful">
          {t('entry.unhelpful')}
        </Button>
        {voted !== null && <Typography.Text type="success">{t('entry.thanks')}</Typography.Text>}
      </Space>
    </div>
  );
}

/** 纠错建议: a citizen's correction of an entry, reviewed in the console. */
export function CorrectionForm({ entryId }: { entryId: string }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [isOpen, setOpen] = useState(false);
  const [isSent, setSent] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (isSent) return <Typography.Text type="success" data-testid="correction-sent">{t('entry.correctionSent')}</Typography.Text>;
  if (!isOpen)
    return (
      <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(true)} data-testid="correction-open">
        {t('entry.correction')}
      </Button>
    );
  async function onFinish(values: { text: string; contact?: string }) {
    setBusy(true);
    setError(null);
    try {
      await kb.suggest({ kind: 'correction', entryId, payload: { text: values.text, contact: values.contact || undefined } });
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card size="small" title={t('entry.correction')} style={{ marginTop: 8 }}>
      <Typography.Paragraph type="secondary">{t('entry.correctionHint')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item name="text" rules={[{ required: true, whitespace: true, message: t('entry.correctionPlaceholder') }]}>
          <Input.TextArea rows={3} maxLength={5000} placeholder={t('entry.correctionPlaceholder')} data-testid="correction-text" />
        </Form.Item>
        <Form.Item name="contact" label={t('entry.contact')}>
          <Input maxLength={200} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={isBusy} data-testid="correction-submit">
            {t('common.submit')}
          </Button>
          <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}

/** Related entries, each linking to `linkTo(id)`. */
export function RelatedEntries({ entryId, linkTo }: { entryId: string; linkTo: (id: string) => string }) {
  const { t } = useI18n();
  const { data } = useLoad(() => kb.related(entryId), [entryId]);
  const items: EntrySummary[] = data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card title={t('entry.related')} size="small" data-testid="related">
      <List
        size="small"
        dataSource={items}
        renderItem={(e) => (
          <List.Item style={{ paddingInline: 0 }}>
            <Link to={linkTo(e.id)}>{e.question}</Link>
          </List.Item>
        )}
      />
    </Card>
  );
}
