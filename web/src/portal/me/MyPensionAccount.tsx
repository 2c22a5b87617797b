import { myRecords } from '../../api/citizen';
import { useI18n } from '../../i18n';
import { useLoad } from '../../shell/common';
import { formatAmount, formatRate } from './format';
import { LoadFailure, Loading, MePage } from './parts';

/** 个人账户: the balance, then year by year what was paid in and the interest credited (newest year first). */
export function MyPensionAccount() {
  const { t } = useI18n();
  const { data, error, isLoading, reload } = useLoad(() => myRecords.pensionAccount(), []);
  // the server credits no interest to the year still running: its rate is 0 until year end
  const runningYear = data?.years.at(-1);
  const years = data ? [...data.years].reverse() : [];

  return (
    <MePage title={t('me.account.title')} testId="me-account">
      {error ? <LoadFailure error={error} onRetry={reload} /> : null}
      {isLoading && !data && <Loading />}
      {data && (
        <>
          <div className="zx-me-balance-box" data-testid="me-account-balance">
            <div className="zx-me-balance-label">{t('me.account.balance')}</div>
            <div className="zx-me-balance-amount">{formatAmount(data.balance)}</div>
          </div>
          <p>{t('me.account.interestNote')}</p>
          {years.length === 0 ? (
            <p data-testid="me-account-empty">{t('me.account.empty')}</p>
          ) : (
            <table className="zx-me-table" data-testid="me-account-years">
              <caption>{t('me.account.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('me.account.year')}</th>
                  <th scope="col">{t('me.account.opening')}</th>
                  <th scope="col">{t('me.account.paidIn')}</th>
                  <th scope="col">{t('me.account.rate')}</th>
                  <th scope="col">{t('me.account.interest')}</th>
                  <th scope="col">{t('me.account.closing')}</th>
                </tr>
              </thead>
              <tbody>
                {years.map((y) => {
                  const isPending = y === runningYear && /^0(\.0*)?$/.test(y.rate);
                  return (
                    <tr key={y.year} data-year={y.year}>
                      <th scope="row">{t('me.contrib.year', { year: y.year })}</th>
                      <td data-label={t('me.account.opening')}>{formatAmount(y.opening)}</td>
                      <td data-label={t('me.account.paidIn')}>{formatAmount(y.contributions)}</td>
                      <td data-label={t('me.account.rate')}>{isPending ? t('me.account.pending') : formatRate(y.rate)}</td>
                      <td data-label={t('me.account.interest')}>{isPending ? t('me.account.pending') : formatAmount(y.interest)}</td>
                      <td data-label={t('me.account.closing')}>{formatAmount(y.closing)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </MePage>
  );
}
