import { Alert, Button, Result, Spin } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { ApiError, errorMessage } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from './session';

/** Shows an API error's message; row-numbered details are listed below it. */
export function ErrorAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  if (!error) return null;
  return <Alert type="error" showIcon title={errorMessage(error)} style={{ marginBottom: 16, ...style }} data-testid="error-alert" />;
}

/** Loads data for a component and reloads on demand; the error is kept for display. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [isLoading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when load is a new request, as for useEffect
  const run = useCallback(load, deps);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is not read, it is the trigger that reload() bumps to run the same request again
  useEffect(() => {
    let isCurrent = true;
    setLoading(true);
    run()
      .then((d) => {
        if (isCurrent) {
          setData(d);
          setError(null);
        }
      })
      .catch((e) => isCurrent && setError(e))
      .finally(() => isCurrent && setLoading(false));
    return () => {
      isCurrent = false;
    };
  }, [run, tick]);
  // stable, so a component may list reload in its own effect's dependencies without a loop
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, isLoading, reload, setData };
}

export const isNotAvailable = (error: unknown) => error instanceof ApiError && error.isNotAvailable;

export function PageSpin() {
  const { t } = useI18n();
  return (
    <div style={{ padding: 64, textAlign: 'center' }}>
      <Spin description={t('common.loading')}>
        <div style={{ height: 40 }} />
      </Spin>
    </div>
  );
}

/** Shows its children to callers with the ability; others sign in or are told they may not. */
export function RequireAbility({ ability, anyOf, children }: { ability?: string; anyOf?: string[]; children: ReactNode }) {
  const { isLoading, isSignedIn, can } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (isLoading) return <PageSpin />;
  const needed = anyOf ?? (ability ? [ability] : []);
  if (needed.length === 0 || needed.some(can)) return <>{children}</>;
  if (!isSignedIn) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('common.noPermission')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function NotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}
