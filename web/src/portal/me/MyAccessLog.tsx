import { MessageOutlined } from '@ant-design/icons';
import { myRecords, type AccessLogItem } from '../../api/citizen';
import { useI18n, type Translate } from '../../i18n';
import { useLoad } from '../../shell/common';
import { formatDateTime } from './format';
import { LoadFailure, Loading, MePage } from './parts';

const STAFF_PREFIX = '工作人员 ';

/** "工作人员 gong" from the server becomes "工作人员 gong" / "Staff member gong"; other callers as given. */
function whoText(t: Translate, who: string) {
  return who.startsWith(STAFF_PREFIX) ? t('me.access.who', { name: who.slice(STAFF_PREFIX.length) }) : who;
}

/** 谁查看过我的记录: every time staff looked at the record or one of its fields, with their reason. */
export function MyAccessLog() {
  const { t, lang } = useI18n();
  const { data, error, isLoading, reload } = useLoad(() => myRecords.accessLog(), []);
  return (
    <MePage title={t('me.access.title')} testId="me-access-log">
      <p className="zx-me-muted">{t('me.access.intro')}</p>
      {error ? <LoadFailure error={error} onRetry={reload} /> : null}
      {isLoading && !data && <Loading />}
      {data && data.items.length === 0 && <p data-testid="me-access-empty">{t('me.access.empty')}</p>}
      {data && data.items.length > 0 && (
        <ul className="zx-me-list">
          {data.items.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the log as served, never reordered; two reads may share a timestamp
            <AccessRow key={`${item.at}-${i}`} item={item} lang={lang} t={t} />
          ))}
        </ul>
      )}
    </MePage>
  );
}

function AccessRow({ item, lang, t }: { item: AccessLogItem; lang: 'zh' | 'en'; t: Translate }) {
  return (
    <li className="zx-me-item" data-testid="me-access">
      <time dateTime={item.at} className="zx-me-small zx-me-muted" style={{ display: 'block' }}>
        {formatDateTime(item.at, lang)}
      </time>
      <div className="zx-me-item-title">{whoText(t, item.who)}</div>
      <div>{t(`me.access.what.${item.what}`)}</div>
      {item.reason ? <div className="zx-me-small">{t('me.access.reason', { reason: item.reason })}</div> : !item.conversationId && <div className="zx-me-small">{t('me.access.noReason')}</div>}
      {item.conversationId && (
        <div className="zx-me-small" data-testid="me-access-conversation">
          <MessageOutlined aria-hidden /> {t('me.access.inConversation')}
        </div>
      )}
    </li>
  );
}
