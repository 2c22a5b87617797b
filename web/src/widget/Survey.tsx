import { useState } from 'react';
import type { Conversation } from '../../../common/conversations';
import { useI18n } from '../i18n';

/** The satisfaction survey after an agent closed the conversation: 1–5 stars and an optional comment. */
export function Survey({ rating, onRate }: { rating: Conversation['rating']; onRate: (score: number, comment?: string) => Promise<void> }) {
  const { t } = useI18n();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const labels = t('widget.rateLabels').split('|');

  if (rating)
    return (
      <div className="zw-survey" role="status" data-testid="widget-rating-done" data-score={rating.score}>
        <div className="zw-stars-static" aria-hidden="true">
          {'★'.repeat(rating.score)}
          <span className="zw-star-off">{'★'.repeat(5 - rating.score)}</span>
        </div>
        <p>{t('widget.rateDone')}</p>
      </div>
    );

  async function submit() {
    if (!score) return;
    setBusy(true);
    setError('');
    try {
      await onRate(score, comment.trim() || undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="zw-survey"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset className="zw-stars">
        <legend className="zw-survey-title">{t('widget.rateTitle')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          // native radios: arrow keys move between the stars, screen readers say "3 星 一般"
          <label key={n} className={n <= score ? 'zw-star zw-star-on' : 'zw-star'} data-testid={`widget-rate-${n}`}>
            <input type="radio" name="zw-score" value={n} checked={score === n} onChange={() => setScore(n)} aria-label={`${t('widget.rateStar', { n })} ${labels[n - 1] ?? ''}`} />
            <span aria-hidden="true">★</span>
          </label>
        ))}
      </fieldset>
      <p className="zw-star-label" aria-hidden="true">
        {score ? labels[score - 1] : '\u00a0'}
      </p>
      <label htmlFor="zw-rating-comment" className="zw-sr">
        {t('widget.rateComment')}
      </label>
      <textarea id="zw-rating-comment" rows={2} maxLength={500} placeholder={t('widget.rateComment')} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="widget-rating-comment" />
      {error && (
        <p className="zw-failed" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="zw-primary zw-wide" disabled={!score || isBusy} data-testid="widget-rating-submit">
        {t('widget.rateSubmit')}
      </button>
    </form>
  );
}
