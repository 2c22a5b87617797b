import { PhoneOutlined } from '@ant-design/icons';
import { App, Button, Empty, Input, Modal, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { callbacksApi, type CallbackView } from '../api/phone';
import { formatDateTime, formatTime, useI18n, type MessageKey } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';

const STATUS_COLORS: Record<CallbackView['status'], string> = { open: 'orange', claimed: 'blue', done: 'green', failed: 'red' };
const REFRESH_MS = 30_000;

/**
 * Callback requests (预约回拨) callers left on the phone line: an agent claims one, shows the full
 * number (recorded in the audit log), calls back and marks it done or not reached.
 */
export function CallbackTickets() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { data, error, reload } = useLoad(() => callbacksApi.list('active'), []);
  const [actionError, setActionError] = useState<unknown>(null);
  const [numbers, setNumbers] = useState<Record<string, string>>({});
  const [finishing, setFinishing] = useState<{ ticket: CallbackView; status: 'done' | 'failed' } | null>(null);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const act = async (work: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await work();
      reload();
    } catch (err) {
      setActionError(err);
      reload();
    }
  };
  const items = data?.items ?? [];

  return (
    <div className="zx-ws-list" data-testid="ws-callbacks">
      <ErrorAlert error={error || actionError} style={{ margin: 8 }} />
      {items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cb.empty')} />}
      {items.map((c) => (
        <div key={c.id} className="zx-ws-item" data-testid="ws-callback-item" data-id={c.id}>
          <div className="zx-ws-item-head">
            <Typography.Text strong>
              <PhoneOutlined /> {numbers[c.id] ?? c.phone}
            </Typography.Text>
            <Tag color={STATUS_COLORS[c.status]}>{t(`cb.status.${c.status}` as MessageKey)}</Tag>
          </div>
          <div className="zx-ws-item-meta">
            <span>{t(`cb.window.${c.window}` as MessageKey)}</span>
            <span>
              {formatDateTime(c.windowStart, lang)}–{formatTime(c.windowEnd)}
            </span>
            {c.claimedBy && !c.isMine && <span>{t('cb.claimedBy', { name: c.claimedBy.name })}</span>}
          </div>
          <Space size={4} style={{ marginTop: 4 }} wrap>
            {c.status === 'open' && (
              <Button size="small" type="primary" onClick={() => void act(() => callbacksApi.claim(c.id))} data-testid="ws-callback-claim">
                {t('cb.claim')}
              </Button>
            )}
            {c.isMine && c.status === 'claimed' && (
              <>
                {!numbers[c.id] && (
                  <Tooltip title={t('cb.revealNote')}>
                    <Button size="small" onClick={() => void act(async () => setNumbers({ ...numbers, [c.id]: (await callbacksApi.reveal(c.id)).phone }))} data-testid="ws-callback-reveal">
                      {t('cb.reveal')}
                    </Button>
                  </Tooltip>
                )}
                <Button size="small" onClick={() => setFinishing({ ticket: c, status: 'done' })} data-testid="ws-callback-done">
                  {t('cb.done')}
                </Button>
                <Button size="small" danger onClick={() => setFinishing({ ticket: c, status: 'failed' })} data-testid="ws-callback-failed">
                  {t('cb.failed')}
                </Button>
              </>
            )}
          </Space>
        </div>
      ))}
      {finishing && (
        <FinishModal
          status={finishing.status}
          onClose={() => setFinishing(null)}
          onOk={(note) =>
            act(async () => {
              await callbacksApi.finish(finishing.ticket.id, finishing.status, note);
              message.success(t(`cb.status.${finishing.status}`));
              setFinishing(null);
            })
          }
        />
      )}
    </div>
  );
}

function FinishModal({ status, onClose, onOk }: { status: 'done' | 'failed'; onClose: () => void; onOk: (note?: string) => Promise<void> }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [isBusy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t(status === 'done' ? 'cb.done' : 'cb.failed')}
      onCancel={onClose}
      confirmLoading={isBusy}
      onOk={async () => {
        setBusy(true);
        await onOk(note.trim() || undefined);
        setBusy(false);
      }}
      destroyOnHidden
    >
      <Input.TextArea rows={3} maxLength={500} placeholder={t('cb.note')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="ws-callback-note" />
    </Modal>
  );
}
