import { App, Alert, Button, Descriptions, Input, Modal, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { qualityApi, type InspectionDetails, type QualityFlagDetail } from '../../api/quality';
import { formatDateTime, useI18n, type MessageKey } from '../../i18n';
import { ErrorAlert, useLoad } from '../../shell/common';
import { FlagStatusTag, ScoreTag, senderLabel } from './labels';

/**
 * One inspected conversation: the transcript the citizen saw with each flag beside the message it
 * concerns, whole-conversation flags on top. Supervisors confirm or overturn (and so decide appeals);
 * the agent who was flagged appeals.
 */
export function InspectionView({ conversationId, mode, onChanged }: { conversationId: string; mode: 'review' | 'appeal'; onChanged?: () => void }) {
  const { t, lang } = useI18n();
  const details = useLoad(() => qualityApi.details(conversationId), [conversationId]);
  const result = useLoad(() => qualityApi.result(conversationId), [conversationId]);
  const reload = () => {
    details.reload();
    result.reload();
    onChanged?.();
  };
  if (details.error || result.error) return <ErrorAlert error={details.error ?? result.error} />;
  if (!details.data || !result.data) return <Spin />;
  const d: InspectionDetails = details.data;
  const whole = d.flags.filter((f) => f.messageSeq === null);
  const flagsAt = (seq: number) => d.flags.filter((f) => f.messageSeq === seq);

  return (
    <div data-testid="quality-inspection" data-conversation={conversationId}>
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('quality.detail.score')}>
          <ScoreTag score={result.data.score} />
        </Descriptions.Item>
        <Descriptions.Item label={t('quality.detail.category')}>{d.category ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('quality.detail.summary')}>{d.summary ?? '—'}</Descriptions.Item>
      </Descriptions>
      {!d.flags.length && <Alert type="success" showIcon title={t('quality.detail.noFlags')} style={{ marginBottom: 16 }} />}
      {whole.map((f) => (
        <FlagCard key={f.id} flag={f} mode={mode} onChanged={reload} label={t('quality.detail.wholeConversation')} />
      ))}
      <div data-testid="quality-transcript">
        {d.messages.map((m) => {
          const flags = flagsAt(m.seq);
          return (
            <div key={m.seq} style={{ display: 'flex', gap: 12, padding: '8px 0', borderBottom: '1px solid #f0f0f0' }} data-testid="quality-message" data-seq={m.seq} data-flagged={flags.length > 0}>
              <div style={{ flex: '1 1 55%', minWidth: 0 }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  #{m.seq} {senderLabel(t, m.sender)}
                  {m.senderName ? ` · ${m.senderName}` : ''} · {formatDateTime(m.createdAt, lang)}
                  {m.entryId ? ` · ${m.entryId}` : ''}
                </Typography.Text>
                <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', background: flags.length ? '#fff7e6' : undefined }}>{m.text}</div>
              </div>
              <div style={{ flex: '1 1 45%', minWidth: 0 }}>
                {flags.map((f) => (
                  <FlagCard key={f.id} flag={f} mode={mode} onChanged={reload} />
                ))}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function FlagCard({ flag, mode, onChanged, label }: { flag: QualityFlagDetail; mode: 'review' | 'appeal'; onChanged: () => void; label?: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<null | 'review' | 'appeal'>(null);
  const [text, setText] = useState('');
  const [isBusy, setBusy] = useState(false);

  const submit = async (decision?: 'confirm' | 'overturn') => {
    setBusy(true);
    try {
      if (dialog === 'appeal') {
        await qualityApi.appeal(flag.id, text.trim());
        message.success(t('quality.flag.appealSent'));
      } else if (decision) {
        await qualityApi.review(flag.id, decision, text.trim());
        message.success(t('quality.flag.reviewed'));
      }
      setDialog(null);
      setText('');
      onChanged();
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const canAppeal = mode === 'appeal' && flag.appealReason === null && (flag.status === 'open' || flag.status === 'confirmed');

  return (
    <div style={{ border: '1px solid #ffd591', borderRadius: 6, padding: 8, marginBottom: 8, background: '#fffbf0' }} data-testid="quality-flag" data-rule={flag.rule} data-seq={flag.messageSeq ?? ''} data-flag-id={flag.id}>
      <Space wrap size={4}>
        {label && <Typography.Text strong>{label}</Typography.Text>}
        <Typography.Text strong>{flag.ruleName}</Typography.Text>
        <FlagStatusTag status={flag.status} t={t} />
        <Typography.Text type="danger">{t('quality.detail.weight', { n: flag.weight })}</Typography.Text>
      </Space>
      <div style={{ fontSize: 13, marginTop: 4, wordBreak: 'break-word' }}>{flag.excerpt}</div>
      {flag.appealReason && (
        <div style={{ fontSize: 12, marginTop: 4 }}>
          {t('quality.flag.appealReason')}{t('common.colon')}{flag.appealReason}
          {flag.appealDecision && ` · ${t('quality.flag.appealDecision')}${t('common.colon')}${t(`quality.decision.${flag.appealDecision}` as MessageKey)}`}
        </div>
      )}
      {flag.reviewNote && (
        <div style={{ fontSize: 12, marginTop: 4 }}>
          {t('quality.flag.reviewNote')}{t('common.colon')}{flag.reviewNote}
        </div>
      )}
      <Space style={{ marginTop: 6 }}>
        {mode === 'review' && (
          <Button size="small" type={flag.status === 'appealed' ? 'primary' : 'default'} onClick={() => setDialog('review')} data-testid="quality-flag-review">
            {flag.status === 'appealed' ? t('quality.flag.decideAppeal') : `${t('quality.flag.confirm')} / ${t('quality.flag.overturn')}`}
          </Button>
        )}
        {canAppeal && (
          <Button size="small" onClick={() => setDialog('appeal')} data-testid="quality-flag-appeal">
            {t('quality.flag.appeal')}
          </Button>
        )}
      </Space>
      <Modal
        open={dialog !== null}
        title={dialog === 'appeal' ? t('quality.flag.appealTitle') : `${flag.ruleName} · ${flag.status === 'appealed' ? t('quality.flag.decideAppeal') : t('quality.flag.confirm')}`}
        onCancel={() => setDialog(null)}
        destroyOnHidden
        footer={
          dialog === 'appeal' ? (
            <Button type="primary" loading={isBusy} disabled={!text.trim()} onClick={() => void submit()} data-testid="quality-appeal-submit">
              {t('quality.flag.appeal')}
            </Button>
          ) : (
            <Space>
              <Button danger loading={isBusy} onClick={() => void submit('confirm')} data-testid="quality-review-confirm">
                {t('quality.flag.confirm')}
              </Button>
              <Button type="primary" loading={isBusy} onClick={() => void submit('overturn')} data-testid="quality-review-overturn">
                {t('quality.flag.overturn')}
              </Button>
            </Space>
          )
        }
      >
        <Typography.Paragraph type="secondary">{flag.excerpt}</Typography.Paragraph>
        {flag.appealReason && dialog === 'review' && (
          <Typography.Paragraph>
            {t('quality.flag.appealReason')}{t('common.colon')}{flag.appealReason}
          </Typography.Paragraph>
        )}
        <Input.TextArea
          rows={3}
          maxLength={1000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={dialog === 'appeal' ? t('quality.flag.appealPlaceholder') : t('quality.flag.note')}
          data-testid={dialog === 'appeal' ? 'quality-appeal-reason' : 'quality-review-note'}
        />
      </Modal>
    </div>
  );
}
