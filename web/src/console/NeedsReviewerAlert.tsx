import { Alert } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n';
import { useSession } from '../shell/session';

/**
 * Why a change cannot be published yet: nobody approves their own change, and no other user may
 * review (a fresh install has only admin). An administrator gets the way out: create a reviewer.
 */
export function NeedsReviewerAlert() {
  const { t } = useI18n();
  const { can } = useSession();
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="needs-reviewer"
      title={t('review.needsOtherReviewer')}
      description={
        <>
          {t('review.noOtherReviewer')}{' '}
          {can('users.manage') ? <Link to="/console/users">{t('review.createReviewer')}</Link> : t('review.askAdminForReviewer')}
        </>
      }
    />
  );
}
