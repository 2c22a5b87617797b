import { AccountBookOutlined, AuditOutlined, CalendarOutlined, EyeOutlined, WechatOutlined, PayCircleOutlined, RightOutlined, WarningOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { INSURANCES, myRecords, type Insurance, type MyRecord } from '../../api/citizen';
import { useI18n } from '../../i18n';
import { useLoad } from '../../shell/common';
import { formatAmount, formatDateTime, formatMonth } from './format';
import { durationText, insuranceName } from './labels';
import { LoadFailure, Loading, MePage } from './parts';
import { StatementDownload } from './StatementDownload';

/** 我的社保: each insurance in one plain sentence (years paid, months owed, the account's balance), then the details. */
export function MyOverview() {
  const { t, lang } = useI18n();
  const { data: record, error, isLoading, reload } = useLoad(() => myRecords.record(), []);
  const withRecords = record ? INSURANCES.filter((i) => record[i].paidMonths + record[i].arrearsMonths > 0) : [];
  const without = record ? INSURANCES.filter((i) => !withRecords.includes(i)) : [];

  return (
    <MePage title={t('me.overview.title')} isOverview testId="me-overview">
      {error ? <LoadFailure error={error} onRetry={reload} /> : null}
      {isLoading && !record && <Loading />}
      {record && (
        <>
          <ul className="zx-me-list" aria-label={t('me.overview.headlines')}>
            {withRecords.map((insurance) => (
              <InsuranceHeadline key={insurance} insurance={insurance} record={record} />
            ))}
          </ul>
          {without.length > 0 && (
            <p className="zx-me-muted" data-testid="me-overview-none">
              {t('me.overview.none', { names: without.map((i) => insuranceName(t, i)).join(lang === 'zh' ? '、' : ', ') })}
            </p>
          )}
          <p className="zx-me-small zx-me-muted">{t('me.overview.updatedAt', { date: formatDateTime(record.updatedAt, lang) })}</p>
          <StatementDownload />
        </>
      )}
      <nav aria-label={t('me.overview.details')}>
        <h2>{t('me.overview.details')}</h2>
        <ul className="zx-me-links">
          <DetailLink to="/me/contributions" icon={<CalendarOutlined aria-hidden />} title={t('me.link.contributions')} description={t('me.link.contributions.desc')} testId="me-link-contributions" />
          <DetailLink to="/me/pension-account" icon={<AccountBookOutlined aria-hidden />} title={t('me.link.account')} description={t('me.link.account.desc')} testId="me-link-account" />
          <DetailLink to="/me/applications" icon={<AuditOutlined aria-hidden />} title={t('me.link.applications')} description={t('me.link.applications.desc')} testId="me-link-applications" />
          <DetailLink to="/me/payments" icon={<PayCircleOutlined aria-hidden />} title={t('me.link.payments')} description={t('me.link.payments.desc')} testId="me-link-payments" />
          <DetailLink to="/me/access-log" icon={<EyeOutlined aria-hidden />} title={t('me.link.accessLog')} description={t('me.link.accessLog.desc')} testId="me-link-access-log" />
          <DetailLink to="/me/bind" icon={<WechatOutlined aria-hidden />} title={t('me.link.bindings')} description={t('me.link.bindings.desc')} testId="me-link-bindings" />
        </ul>
      </nav>
    </MePage>
  );
}

function InsuranceHeadline({ insurance, record }: { insurance: Insurance; record: MyRecord }) {
  const { t, lang } = useI18n();
  const summary = record[insurance];
  return (
    <li className="zx-me-headline" data-testid={`me-headline-${insurance}`}>
      <h2>{insuranceName(t, insurance)}</h2>
      <p className="zx-me-headline-main">
        {t('me.overview.paid')} <strong data-testid="me-paid">{durationText(t, summary.paidMonths)}</strong>
      </p>
      {summary.arrearsMonths > 0 && (
        <p className="zx-me-arrears" data-testid="me-arrears">
          <WarningOutlined aria-hidden />
          {t('me.overview.arrears', { n: summary.arrearsMonths })}
        </p>
      )}
      {insurance === 'pension' && (
        <p className="zx-me-balance" data-testid="me-balance">
          {t('me.overview.balance')} <strong>{formatAmount(record.pension.accountBalance)}</strong>
        </p>
      )}
      {summary.firstMonth && summary.lastMonth && (
        <p className="zx-me-small zx-me-muted">{t('me.overview.period', { from: formatMonth(summary.firstMonth, lang), to: formatMonth(summary.lastMonth, lang) })}</p>
      )}
      <Link to={`/me/contributions?insurance=${insurance}`} className="zx-me-small">
        {t('me.overview.months', { name: insuranceName(t, insurance) })} <RightOutlined aria-hidden />
      </Link>
    </li>
  );
}

function DetailLink({ to, icon, title, description, testId }: { to: string; icon: ReactNode; title: string; description: string; testId: string }) {
  return (
    <li>
      <Link to={to} className="zx-me-link" data-testid={testId}>
        {icon}
        <span>
          <span className="zx-me-link-title">{title}</span>
          <span className="zx-me-link-desc">{description}</span>
        </span>
      </Link>
    </li>
  );
}
