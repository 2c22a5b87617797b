import { RightOutlined } from '@ant-design/icons';
import { Timeline } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { myRecords } from '../../api/citizen';
import { useI18n } from '../../i18n';
import { useLoad } from '../../shell/common';
import { formatDate, formatDateTime } from './format';
import { applicationStatusName, applicationStatusTone, applicationTypeName } from './labels';
import { LoadFailure, Loading, MePage } from './parts';

/** A status written out in a tag whose colour only repeats what it says. */
export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className={`zx-me-status zx-me-status-${applicationStatusTone(status)}`} data-testid="me-app-status">
      {applicationStatusName(t, status)}
    </span>
  );
}

/** 业务进度: the citizen's applications, newest first, each opening its timeline. */
export function MyApplications() {
  const { t, lang } = useI18n();
  const { data, error, isLoading, reload } = useLoad(() => myRecords.applications(), []);
  return (
    <MePage title={t('me.apps.title')} testId="me-applications">
      {error ? <LoadFailure error={error} onRetry={reload} /> : null}
      {isLoading && !data && <Loading />}
      {data && data.items.length === 0 && <p data-testid="me-apps-empty">{t('me.apps.empty')}</p>}
      {data && data.items.length > 0 && (
        <ul className="zx-me-list">
          {data.items.map((a) => (
            <li key={a.id}>
              <Link to={`/me/applications/${encodeURIComponent(a.id)}`} className="zx-me-item" data-testid="me-app" data-id={a.id}>
                <div className="zx-me-item-head">
                  <span className="zx-me-item-title">{applicationTypeName(t, a.type)}</span>
                  <StatusTag status={a.status} />
                </div>
                <div className="zx-me-small zx-me-muted">{t('me.apps.ref', { id: a.id })}</div>
                <div className="zx-me-small">
                  {t('me.apps.submitted', { date: formatDate(a.submittedAt, lang) })}
                  {t('me.listSeparator')}
                  {t('me.apps.updated', { date: formatDate(a.updatedAt, lang) })}
                </div>
                <div style={{ marginTop: 4, color: '#0f4aa0' }}>
                  {t('me.apps.view')} <RightOutlined aria-hidden />
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </MePage>
  );
}

/** One application: what it is, where it stands, and every step so far in order (antd Timeline). */
export function MyApplication() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { data, error, isLoading, reload } = useLoad(() => myRecords.application(id), [id]);
  const isMissing = error instanceof ApiError && error.status === 404;
  return (
    <MePage title={data ? applicationTypeName(t, data.type) : t('me.apps.title')} testId="me-application">
      {isMissing ? <p data-testid="me-app-missing">{t('me.apps.notFound')}</p> : error ? <LoadFailure error={error} onRetry={reload} /> : null}
      {isLoading && !data && <Loading />}
      {data && (
        <>
          <div className="zx-me-card">
            <p>
              {t('me.apps.current')} <StatusTag status={data.status} />
            </p>
            <p className="zx-me-small zx-me-muted" style={{ margin: 0 }}>
              {t('me.apps.ref', { id: data.id })}
              {t('me.listSeparator')}
              {t('me.apps.submitted', { date: formatDate(data.submittedAt, lang) })}
            </p>
          </div>
          <h2>{t('me.apps.timeline')}</h2>
          <div className="zx-me-timeline">
            <Timeline
              data-testid="me-app-timeline"
              items={data.history.map((step, i) => ({
                key: i,
                color: i === data.history.length - 1 ? 'blue' : 'green',
                content: (
                  <div data-testid="me-app-step">
                    <time dateTime={step.at} className="zx-me-small zx-me-muted" style={{ display: 'block' }}>{formatDateTime(step.at, lang)}</time>
                    <span className="zx-me-step-status">{applicationStatusName(t, step.status)}</span>
                    {step.note && <span className="zx-me-step-note">{step.note}</span>}
                  </div>
                ),
              }))}
            />
          </div>
        </>
      )}
    </MePage>
  );
}
