import { LeftOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, ConfigProvider, Spin } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import { localMessage } from './format';
import './me.css';

/** Larger type and controls for the citizen's pages (18-px text, 52-px large inputs), inside the portal's theme. */
export function CitizenTheme({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider
      theme={{
        // greys and the error red darkened from antd's defaults to reach WCAG AA contrast on white
        token: {
          fontSize: 18,
          controlHeight: 44,
          controlHeightLG: 52,
          colorTextDescription: 'rgba(0,0,0,0.68)',
          colorTextTertiary: 'rgba(0,0,0,0.62)',
          colorTextPlaceholder: 'rgba(0,0,0,0.5)',
          colorError: '#b3261e',
        },
      }}
    >
      <div className="zx-me">{children}</div>
    </ConfigProvider>
  );
}

/** A page of 我的社保: its heading, a way back to the overview (except on the overview) and its content. */
export function MePage({ title, isOverview, children, testId }: { title: string; isOverview?: boolean; children: ReactNode; testId: string }) {
  const { t } = useI18n();
  // t is a new function for each language, so a switch of language renames the tab too
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <section aria-labelledby={`${testId}-heading`} data-testid={testId}>
      {!isOverview && (
        <Link to="/me" className="zx-me-back" data-testid="me-back">
          <LeftOutlined aria-hidden />
          {t('me.back')}
        </Link>
      )}
      <h1 id={`${testId}-heading`}>{title}</h1>
      {children}
    </section>
  );
}

/** While a records call runs: a spinner that says what it waits for. */
export function Loading() {
  const { t } = useI18n();
  return (
    <div style={{ padding: 40, textAlign: 'center' }} role="status">
      <Spin />
      <p className="zx-me-muted" style={{ marginTop: 8 }}>{t('common.loading')}</p>
    </div>
  );
}

/** A records call that failed: why, in the reader's language, and a button to try again (or verify first). */
export function LoadFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t, lang } = useI18n();
  const needsStepUp = error instanceof ApiError && error.code === 'step_up_required';
  const message = needsStepUp ? t('me.stepUp.needed') : error instanceof ApiError && error.code === 'network' ? t('me.error.network') : localMessage(error instanceof Error ? error.message : String(error), lang);
  return (
    <Alert
      type={needsStepUp ? 'info' : 'error'}
      showIcon
      icon={needsStepUp ? <SafetyCertificateOutlined /> : undefined}
      title={message}
      action={
        <Button type="primary" onClick={onRetry} data-testid="me-retry">
          {needsStepUp ? t('me.stepUp.again') : t('me.retry')}
        </Button>
      }
      style={{ marginBottom: 16, flexWrap: 'wrap', rowGap: 8 }}
      data-testid="me-load-failure"
    />
  );
}

/** Seconds left before another SMS code may be asked for; start(n) begins a countdown. */
export function useCountdown() {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= now) return;
    const timer = setTimeout(() => setNow(Date.now()), 250);
    return () => clearTimeout(timer);
  }, [until, now]);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return {
    left,
    start: (seconds: number) => {
      const at = Date.now();
      setNow(at);
      setUntil(at + seconds * 1000);
    },
  };
}
