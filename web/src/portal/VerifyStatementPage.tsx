import { Alert, Button, Card, Descriptions, Input, Result, Spin, Table } from 'antd';
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { normalizeStatementCode, type StatementCheck } from '../../../common/record-statements';
import { api, ApiError } from '../api/client';
import { useI18n, type MessageKey, type Translate } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';
import { formatDate, formatMonth } from './me/format';

const INSURANCES = ['pension', 'medical', 'unemployment', 'injury', 'maternity'] as const;

/** GET /api/v1/statements/{code}: public, masked; 404 statement_not_found for a wrong or expired code. */
const checkStatement = (code: string) => api.get<StatementCheck>(`/api/v1/statements/${encodeURIComponent(code)}`);

function monthsText(t: Translate, n: number) {
  if (n < 12) return t('verify.months', { n });
  const years = Math.floor(n / 12);
  return n % 12 ? t('verify.monthsWithYears', { n, years, months: n % 12 }) : t('verify.monthsWholeYears', { n, years });
}

/**
 * The public check of a contribution statement (参保证明): /verify/:code, the address printed on the
 * PDF. Anyone with the code sees whether it is genuine and what it says, masked; no sign-in.
 */
export function VerifyStatementPage() {
  const { code: fromUrl = '' } = useParams();
  const code = normalizeStatementCode(fromUrl);
  const { t } = useI18n();
  const navigate = useNavigate();
  const [typed, setTyped] = useState(code);
  const { data, error, isLoading } = useLoad(() => (code ? checkStatement(code) : Promise.resolve(undefined)), [code]);

  useEffect(() => setTyped(code), [code]);
  useEffect(() => {
    document.title = `${t('verify.title')} · ${t('app.name')}`;
  }, [t]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = normalizeStatementCode(typed);
    if (next) navigate(`/verify/${encodeURIComponent(next)}`);
  };
  const isNotFound = error instanceof ApiError && error.status === 404;
  const isRateLimited = error instanceof ApiError && error.status === 429;
  const current = data && data.code === code ? data : undefined;

  return (
    <section aria-labelledby="verify-title" style={{ maxWidth: 820, margin: '0 auto' }} data-testid="verify-statement">
      <Card>
        <h1 id="verify-title" style={{ fontSize: 24, marginTop: 0 }}>{t('verify.title')}</h1>
        <p style={{ fontSize: 16 }}>{t('verify.intro')}</p>
        {/* biome-ignore lint/a11y/useSemanticElements: <form role="search"> is the long-standing search landmark; the <search> element (2023) is unknown to the older browsers some citizens still use */}
        <form onSubmit={submit} role="search" aria-label={t('verify.title')}>
          <label htmlFor="verify-code" style={{ display: 'block', fontWeight: 600, marginBottom: 6 }}>{t('verify.codeLabel')}</label>
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <Input
              id="verify-code"
              size="large"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              placeholder={t('verify.codePlaceholder')}
              aria-describedby="verify-code-hint"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={40}
              style={{ flex: '1 1 260px', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
              data-testid="verify-code-input"
            />
            <Button type="primary" size="large" htmlType="submit" data-testid="verify-submit">{t('verify.submit')}</Button>
          </div>
          <p id="verify-code-hint" style={{ color: '#595959', marginTop: 6 }}>{t('verify.codeHint')}</p>
        </form>

        <div aria-live="polite">
          {code && isLoading && !current && <Spin style={{ display: 'block', margin: 24 }} aria-label={t('verify.checking')} />}
          {code && !isLoading && isNotFound && <Result status="warning" title={t('verify.notFound')} subTitle={t('verify.notFoundText')} data-testid="verify-not-found" />}
          {code && !isLoading && isRateLimited && <Alert type="warning" showIcon title={t('verify.tooMany')} />}
          {code && !isLoading && error && !isNotFound && !isRateLimited ? <ErrorAlert error={error} /> : null}
          {current && !error && <StatementView statement={current} />}
        </div>
      </Card>
    </section>
  );
}

/** What the statement says, as the server stored it when it was issued (masked). */
function StatementView({ statement }: { statement: StatementCheck }) {
  const { t, lang } = useI18n();
  const years = statement.pensionYears;
  return (
    <div data-testid="verify-valid">
      <Result status="success" title={t('verify.valid')} subTitle={t('verify.validText')} style={{ padding: '24px 0 16px' }} />
      <Descriptions bordered column={1} size="middle" styles={{ label: { width: 140 } }}>
        <Descriptions.Item label={t('verify.person')}>{statement.nameMasked}</Descriptions.Item>
        <Descriptions.Item label={t('verify.idNumber')}>{statement.idNumberMasked}</Descriptions.Item>
        <Descriptions.Item label={t('verify.issuedAt')}>{formatDate(statement.issuedAt, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('verify.expiresAt')}>{formatDate(statement.expiresAt, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('verify.asOf')}>{formatDate(`${statement.asOf}T12:00:00+08:00`, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('verify.code')}><span style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}>{statement.code}</span></Descriptions.Item>
      </Descriptions>
      <p style={{ color: '#595959', marginTop: 8 }}>{t('verify.maskedNote')}</p>

      <h2 style={{ fontSize: 18, marginTop: 24 }}>{t('verify.insurances')}</h2>
      <Table
        size="small"
        pagination={false}
        rowKey="insurance"
        data-testid="verify-insurances"
        dataSource={INSURANCES.map((insurance) => ({ insurance, ...statement[insurance] }))}
        columns={[
          { title: t('verify.insurance'), dataIndex: 'insurance', render: (i: string) => t(`verify.insurance.${i}` as MessageKey) },
          { title: t('verify.paidMonths'), dataIndex: 'paidMonths', render: (n: number) => monthsText(t, n) },
          { title: t('verify.arrearsMonths'), dataIndex: 'arrearsMonths', render: (n: number) => (n ? <strong style={{ color: '#b42318' }}>{n}</strong> : 0) },
          {
            title: t('verify.period'),
            key: 'period',
            render: (_: unknown, s: (typeof statement)['pension']) =>
              s.firstMonth && s.lastMonth ? t('verify.periodRange', { from: formatMonth(s.firstMonth, lang), to: formatMonth(s.lastMonth, lang) }) : t('verify.noContributions'),
          },
        ]}
      />

      {years.length > 0 && (
        <>
          <h2 style={{ fontSize: 18, marginTop: 24 }}>{t('verify.pensionYears')}</h2>
          <Table
            size="small"
            pagination={false}
            rowKey="year"
            data-testid="verify-years"
            dataSource={[...years].reverse()}
            columns={[
              { title: t('verify.year'), dataIndex: 'year' },
              { title: t('verify.yearPaid'), dataIndex: 'paidMonths' },
              { title: t('verify.yearArrears'), dataIndex: 'arrearsMonths', render: (n: number) => (n ? <strong style={{ color: '#b42318' }}>{n}</strong> : '') },
              { title: t('verify.yearGap'), dataIndex: 'gapMonths', render: (n: number) => (n ? <strong style={{ color: '#8a5a00' }}>{n}</strong> : '') },
            ]}
          />
          <p style={{ color: '#595959', marginTop: 8 }}>{t('verify.yearsNote')}</p>
        </>
      )}
      <Alert type="info" showIcon title={t('verify.demoNote')} style={{ marginTop: 16 }} />
    </div>
  );
}
