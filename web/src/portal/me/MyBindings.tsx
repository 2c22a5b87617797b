import { Alert, Button } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { myRecords } from '../../api/citizen';
import { useI18n, type MessageKey } from '../../i18n';
import { useLoad } from '../../shell/common';
import { formatDate } from './format';
import { LoadFailure, Loading, MePage } from './parts';

/**
 * 绑定微信: the robot on WeChat sends a one-time link (`/me/bind?ticket=…`) to a follower who asks about
 * their own record; signed in here, the citizen confirms, and that follower is recognised from then on.
 * The page also lists the bound channels, each with 解除绑定.
 */
export function MyBindings() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const ticket = params.get('ticket');
  const [outcome, setOutcome] = useState<'done' | 'invalid' | null>(null);
  const [isBusy, setBusy] = useState(false);
  const { data, error, isLoading, reload } = useLoad(() => myRecords.bindings(), []);
  const channelName = (channel: string) => (['wechat', 'qq'].includes(channel) ? t(`me.bind.channel.${channel}` as MessageKey) : channel);

  async function bind() {
    setBusy(true);
    try {
      await myRecords.bind(ticket!);
      setOutcome('done');
      setParams({}, { replace: true });
      reload();
    } catch {
      setOutcome('invalid');
    } finally {
      setBusy(false);
    }
  }

  return (
    <MePage title={t('me.bind.title')} testId="me-bindings">
      <p>{t('me.bind.intro')}</p>
      {ticket && outcome === null && (
        <Button type="primary" size="large" loading={isBusy} onClick={bind} data-testid="me-bind-confirm">
          {t('me.bind.confirm')}
        </Button>
      )}
      {outcome === 'done' && <Alert type="success" showIcon message={t('me.bind.done')} data-testid="me-bind-done" />}
      {outcome === 'invalid' && <Alert type="error" showIcon message={t('me.bind.invalid')} data-testid="me-bind-invalid" />}
      <h2>{t('me.bind.list')}</h2>
      {error ? <LoadFailure error={error} onRetry={reload} /> : null}
      {isLoading && !data && <Loading />}
      {data && data.items.length === 0 && <p>{t('me.bind.none')}</p>}
      {data && data.items.length > 0 && (
        <ul className="zx-me-list">
          {data.items.map((b) => (
            <li key={b.id} className="zx-me-item" data-testid="me-binding">
              <div className="zx-me-item-head">
                <span className="zx-me-item-title">{channelName(b.channel)}</span>
                <Button onClick={async () => (await myRecords.unbind(b.id), reload())} data-testid="me-unbind">
                  {t('me.bind.unbind')}
                </Button>
              </div>
              <div className="zx-me-muted">{t('me.bind.boundAt', { date: formatDate(b.boundAt, lang) })}</div>
            </li>
          ))}
        </ul>
      )}
    </MePage>
  );
}
