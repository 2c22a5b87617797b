import { myRecords } from '../../api/citizen';
import { useI18n } from '../../i18n';
import { useLoad } from '../../shell/common';
import { formatAmount, formatMonth } from './format';
import { paymentTypeName } from './labels';
import { LoadFailure, Loading, MePage } from './parts';

/** 待遇发放: each benefit paid, by month, newest first. */
export function MyPayments() {
  const { t, lang } = useI18n();
  const { data, error, isLoading, reload } = useLoad(() => myRecords.payments(), []);
  return (
    <MePage title={t('me.pay.title')} testId="me-payments">
      {error ? <LoadFailure error={error} onRetry={reload} /> : null}
      {isLoading && !data && <Loading />}
      {data && data.items.length === 0 && <p data-testid="me-pay-empty">{t('me.pay.empty')}</p>}
      {data && data.items.length > 0 && (
        <ul className="zx-me-list">
          {data.items.map((p) => (
            <li key={`${p.month}-${p.type}`} className="zx-me-item" data-testid="me-payment">
              <div className="zx-me-item-head">
                <span className="zx-me-item-title">{formatMonth(p.month, lang)}</span>
                <span className="zx-me-amount">{formatAmount(p.amount)}</span>
              </div>
              <div className="zx-me-muted">{paymentTypeName(t, p.type)}</div>
            </li>
          ))}
        </ul>
      )}
    </MePage>
  );
}
