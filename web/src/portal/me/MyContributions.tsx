import { Button } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { INSURANCES, myRecords, type ContributionMonth, type ContributionMonths, type Insurance } from '../../api/citizen';
import { useI18n } from '../../i18n';
import { useLoad } from '../../shell/common';
import { formatAmount, formatMonth, monthName } from './format';
import { insuranceName, insuranceShortName } from './labels';
import { LoadFailure, Loading, MePage } from './parts';

type MonthStatus = 'paid' | 'arrears' | 'gap' | 'none';

interface MonthCell {
  month: string;
  status: MonthStatus;
  /** usually one; two when the month was paid by two employers */
  items: ContributionMonth[];
}

interface YearOfMonths {
  year: number;
  months: MonthCell[];
  counts: Record<MonthStatus, number>;
}

/** The answer's months laid out by year (newest first), twelve cells a year. */
export function yearsOfMonths(data: ContributionMonths): YearOfMonths[] {
  const byMonth = new Map<string, ContributionMonth[]>();
  for (const item of data.items) byMonth.set(item.month, [...(byMonth.get(item.month) ?? []), item]);
  const gaps = new Set(data.gaps);
  const years = [...byMonth.keys(), ...gaps].map((m) => Number(m.slice(0, 4)));
  if (years.length === 0) return [];
  const out: YearOfMonths[] = [];
  for (let year = Math.max(...years); year >= Math.min(...years); year--) {
    const counts: Record<MonthStatus, number> = { paid: 0, arrears: 0, gap: 0, none: 0 };
    const months = Array.from({ length: 12 }, (_, i): MonthCell => {
      const month = `${year}-${String(i + 1).padStart(2, '0')}`;
      const items = byMonth.get(month) ?? [];
      const status: MonthStatus = items.some((c) => c.status === 'arrears') ? 'arrears' : items.length ? 'paid' : gaps.has(month) ? 'gap' : 'none';
      counts[status]++;
      return { month, status, items };
    });
    out.push({ year, months, counts });
  }
  return out;
}

/** 缴费记录: one insurance at a time, a year per card; arrears and gaps said in words as well as colour. */
export function MyContributions() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const asked = params.get('insurance') as Insurance | null;
  const insurance: Insurance = asked && INSURANCES.includes(asked) ? asked : 'pension';
  const { data, error, isLoading, reload } = useLoad(() => myRecords.contributions(insurance), [insurance]);
  const current = data?.insurance === insurance ? data : undefined;
  const years = current ? yearsOfMonths(current) : [];
  const totals = years.reduce((sum, y) => ({ paid: sum.paid + y.counts.paid, arrears: sum.arrears + y.counts.arrears, gap: sum.gap + y.counts.gap }), { paid: 0, arrears: 0, gap: 0 });

  return (
    <MePage title={t('me.contrib.title')} testId="me-contributions">
      <fieldset aria-label={t('me.contrib.insurance')} className="zx-me-switch">
        {INSURANCES.map((i) => (
          <Button key={i} type={i === insurance ? 'primary' : 'default'} aria-pressed={i === insurance} onClick={() => setParams({ insurance: i }, { replace: true })} data-testid={`me-insurance-${i}`}>
            {insuranceShortName(t, i)}
          </Button>
        ))}
      </fieldset>
      <h2>{insuranceName(t, insurance)}</h2>
      {error ? <LoadFailure error={error} onRetry={reload} /> : null}
      {isLoading && !current && <Loading />}
      {current && years.length === 0 && <p data-testid="me-contrib-empty">{t('me.contrib.empty')}</p>}
      {current && years.length > 0 && (
        <>
          <p data-testid="me-contrib-summary">
            {[t('me.contrib.paidMonths', { n: totals.paid }), totals.arrears ? t('me.contrib.arrearsMonths', { n: totals.arrears }) : '', totals.gap ? t('me.contrib.gapMonths', { n: totals.gap }) : ''].filter(Boolean).join(t('me.listSeparator'))}
          </p>
          <ul className="zx-me-legend" aria-label={t('me.contrib.legend')}>
            <li><span className="zx-me-mark zx-me-mark-paid">{t('me.month.paid')}</span> {t('me.contrib.legend.paid')}</li>
            <li><span className="zx-me-mark zx-me-mark-arrears">{t('me.month.arrears')}</span> {t('me.contrib.legend.arrears')}</li>
            <li><span className="zx-me-mark zx-me-mark-gap">{t('me.month.gap')}</span> {t('me.contrib.legend.gap')}</li>
          </ul>
          <p className="zx-me-small zx-me-muted" style={{ margin: '8px 0 12px' }}>{t('me.contrib.tapHint')}</p>
          {years.map((y) => (
            <YearCard key={y.year} year={y} />
          ))}
        </>
      )}
    </MePage>
  );
}

function YearCard({ year }: { year: YearOfMonths }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const selected = year.months.find((m) => m.month === open);
  const detailId = `me-month-detail-${year.year}`;
  const parts = [
    year.counts.paid ? t('me.contrib.paidMonths', { n: year.counts.paid }) : '',
    year.counts.arrears ? t('me.contrib.arrearsMonths', { n: year.counts.arrears }) : '',
    year.counts.gap ? t('me.contrib.gapMonths', { n: year.counts.gap }) : '',
  ].filter(Boolean);
  return (
    <section className="zx-me-year" aria-labelledby={`me-year-${year.year}`} data-testid="me-year" data-year={year.year}>
      <div className="zx-me-year-head">
        <h3 id={`me-year-${year.year}`}>{t('me.contrib.year', { year: year.year })}</h3>
        <span className="zx-me-small zx-me-muted">{parts.join(t('me.listSeparator'))}</span>
      </div>
      <ul className="zx-me-months">
        {year.months.map((cell) => {
          const m = Number(cell.month.slice(5));
          const label = t(`me.month.${cell.status}`);
          if (cell.status === 'none')
            return (
              <li key={cell.month}>
                <div className="zx-me-month" data-status="none" data-month={cell.month} data-testid="me-month">
                  <span className="zx-me-month-name">{monthName(m, lang)}</span>
                  <span className="zx-me-month-label">{label}</span>
                </div>
              </li>
            );
          return (
            <li key={cell.month}>
              <button
                type="button"
                className="zx-me-month"
                data-status={cell.status}
                data-month={cell.month}
                data-testid="me-month"
                aria-expanded={open === cell.month}
                aria-controls={detailId}
                aria-label={`${formatMonth(cell.month, lang)} ${label}`}
                onClick={() => setOpen(open === cell.month ? null : cell.month)}
              >
                <span className="zx-me-month-name">{monthName(m, lang)}</span>
                <span className="zx-me-month-label">{label}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <div id={detailId} aria-live="polite">
        {selected && <MonthDetail cell={selected} />}
      </div>
    </section>
  );
}

function MonthDetail({ cell }: { cell: MonthCell }) {
  const { t, lang } = useI18n();
  return (
    <div className="zx-me-month-detail" data-testid="me-month-detail">
      <p style={{ fontWeight: 600 }}>
        {formatMonth(cell.month, lang)} <span className={`zx-me-mark zx-me-mark-${cell.status}`}>{t(`me.month.${cell.status}`)}</span>
      </p>
      {cell.status === 'gap' && <p>{t('me.contrib.gapDetail')}</p>}
      {cell.status === 'arrears' && <p>{t('me.contrib.arrearsDetail')}</p>}
      {cell.items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the month's records as served, never reordered, with no id of their own
        <dl key={i} style={i ? { marginTop: 10 } : undefined}>
          <dt>{t('me.contrib.employer')}</dt>
          <dd>{item.employer}</dd>
          <dt>{t('me.contrib.base')}</dt>
          <dd>{formatAmount(item.base)}</dd>
          <dt>{t('me.contrib.personalAmount')}</dt>
          <dd>{formatAmount(item.personalAmount)}</dd>
          <dt>{t('me.contrib.employerAmount')}</dt>
          <dd>{formatAmount(item.employerAmount)}</dd>
        </dl>
      ))}
    </div>
  );
}
