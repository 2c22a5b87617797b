import { Alert, Button, Input, Modal, type ButtonProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { citizenAuth, CitizenApiError } from '../../api/citizen';
import { useI18n } from '../../i18n';
import { localMessage } from './format';
import { useCountdown } from './parts';

/**
 * Records are shown within 15 minutes of the citizen's last SMS code: this asks for a fresh one
 * (sent to their own phone) and reports whether they verified or gave up.
 */
export function StepUpModal({ isOpen, phoneMasked, onDone }: { isOpen: boolean; phoneMasked: string; onDone: (isVerified: boolean) => void }) {
  const { t, lang } = useI18n();
  const countdown = useCountdown();
  const [code, setCode] = useState('');
  const [isSending, setSending] = useState(false);
  const [isChecking, setChecking] = useState(false);
  const [notice, setNotice] = useState<{ type: 'success' | 'error' | 'warning'; text: string } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!isOpen) {
      setCode('');
      setNotice(null);
    }
  }, [isOpen]);

  const describe = (err: unknown) => (err instanceof ApiError && err.code === 'network' ? t('me.error.network') : localMessage(err instanceof Error ? err.message : String(err), lang));

  const send = async () => {
    setSending(true);
    try {
      await citizenAuth.sendStepUpCode();
      countdown.start(60);
      setNotice({ type: 'success', text: t('me.stepUp.sent', { phone: phoneMasked }) });
      input.current?.focus();
    } catch (err) {
      if (err instanceof CitizenApiError && err.status === 429) {
        countdown.start(err.retryAfterSeconds ?? 60);
        setNotice({ type: 'warning', text: t('me.login.tooFrequent', { n: err.retryAfterSeconds ?? 60 }) });
      } else setNotice({ type: 'error', text: describe(err) });
    } finally {
      setSending(false);
    }
  };

  const confirm = async () => {
    if (!/^\d{6}$/.test(code)) {
      setNotice({ type: 'error', text: t('me.login.code.invalid') });
      return;
    }
    setChecking(true);
    try {
      await citizenAuth.stepUp(code);
      onDone(true);
    } catch (err) {
      setNotice({ type: 'error', text: err instanceof ApiError && err.code === 'invalid_credentials' ? t('me.stepUp.invalid') : describe(err) });
    } finally {
      setChecking(false);
    }
  };

  return (
    <Modal
      open={isOpen}
      title={t('me.stepUp.title')}
      onCancel={() => onDone(false)}
      maskClosable={false}
      destroyOnHidden
      okText={t('me.stepUp.confirm')}
      cancelText={t('common.cancel')}
      onOk={confirm}
      confirmLoading={isChecking}
      okButtonProps={{ size: 'large', 'data-testid': 'me-stepup-confirm' } as ButtonProps}
      cancelButtonProps={{ size: 'large' }}
      data-testid="me-stepup"
    >
      <div className="zx-me" style={{ fontSize: 18 }}>
        <p>{t('me.stepUp.text', { phone: phoneMasked })}</p>
        <label htmlFor="me-stepup-code" style={{ display: 'block', fontWeight: 600, marginBottom: 6 }}>
          {t('me.login.code')}
        </label>
        <div className="zx-me-code-row" style={{ marginBottom: 12 }}>
          <Input
            id="me-stepup-code"
            ref={(el) => {
              input.current = el?.input ?? null;
            }}
            size="large"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            onPressEnter={confirm}
            data-testid="me-stepup-code"
          />
          <Button size="large" onClick={send} loading={isSending} disabled={countdown.left > 0} data-testid="me-stepup-send">
            {countdown.left > 0 ? t('me.login.resendIn', { n: countdown.left }) : t('me.login.sendCode')}
          </Button>
        </div>
        {notice && <Alert type={notice.type} showIcon title={notice.text} data-testid="me-stepup-notice" />}
      </div>
    </Modal>
  );
}
