import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { manage, transfer } from '../api/endpoints';
import type { ReviewItem } from '../api/types';
import { formatDateTime, useI18n } from '../i18n';
import { ErrorAlert, PageSpin, useLoad } from '../shell/common';
import { useSession } from '../shell/session';
import { DiffView } from './DiffView';
import { NeedsReviewerAlert } from './NeedsReviewerAlert';

/** Changes awaiting review, each with its diff against the published version; approve or send back. */
export function ReviewQueue() {
  const { t } = useI18n();
  const { data, error, isLoading, reload } = useLoad(() => manage.reviewQueue(), []);
  if (isLoading && !data) return <PageSpin />;
  return (
    <div data-testid="review-queue">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('console.review')}
      </Typography.Title>
      <ErrorAlert error={error} />
      {data?.items.some((item) => !item.reviewerAvailable) && <NeedsReviewerAlert />}
      {data && data.items.length === 0 && (
        <Card>
          <Empty description={t('review.empty')} />
        </Card>
      )}
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {importsOf(data?.items ?? []).map((batch) => <ImportBatchCard key={batch.importId} {...batch} onDone={reload} />)}
        {data?.items.map((item) => <ReviewCard key={`${item.id}-${item.version}`} item={item} onDone={reload} />)}
      </Space>
    </div>
  );
}

/** Versions waiting for review grouped by the import that wrote them (large imports would need one click per entry). */
function importsOf(items: ReviewItem[]) {
  const batches = new Map<string, { importId: string; count: number; canApprove: boolean }>();
  for (const item of items) {
    if (!item.importId) continue;
    const batch = batches.get(item.importId) ?? { importId: item.importId, count: 0, canApprove: true };
    batch.count++;
    batch.canApprove &&= item.canApprove;
    batches.set(item.importId, batch);
  }
  return [...batches.values()];
}

function ImportBatchCard({ importId, count, canApprove, onDone }: { importId: string; count: number; canApprove: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function approveAll() {
    setBusy(true);
    setError(null);
    try {
      const { approved } = await transfer.approveImport(importId);
      message.success(t('review.importApproved', { n: approved }));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" data-testid={`review-import-${importId}`}>
      <Space wrap>
        <Typography.Text strong>{t('review.importGroup', { id: importId.slice(0, 8), n: count })}</Typography.Text>
        {can('kb.review') &&
          (canApprove ? (
            <Button type="primary" icon={<CheckOutlined />} loading={isBusy} onClick={approveAll} data-testid={`review-approve-import-${importId}`}>
              {t('review.approveImport')}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('review.ownImport')}</Typography.Text>
          ))}
      </Space>
      <ErrorAlert error={error} style={{ marginTop: 8 }} />
    </Card>
  );
}

function ReviewCard({ item, onDone }: { item: ReviewItem; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [comment, setComment] = useState('');
  const [isRejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState<'' | 'approve' | 'reject'>('');
  const [error, setError] = useState<unknown>(null);

  async function approve() {
    setBusy('approve');
    setError(null);
    try {
      await manage.approve(item.id, item.version, comment.trim() || undefined);
      message.success(t('review.approved'));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy('');
    }
  }
  async function reject() {
    if (!comment.trim()) {
      setError(new Error(t('review.rejectComment')));
      return;
    }
    setBusy('reject');
    setError(null);
    try {
      await manage.reject(item.id, comment.trim());
      message.success(t('review.rejected'));
      setRejecting(false);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy('');
    }
  }

  const canAct = can('kb.review');
  return (
    <Card
      data-testid={`review-item-${item.id}`}
      title={
        <Space wrap>
          <Typography.Text code>{item.id}</Typography.Text>
          <Link to={`/console/entries/${encodeURIComponent(item.id)}`}>{item.question}</Link>
          <Tag color="gold">v{item.version}</Tag>
          {item.diff.from === null && <Tag color="blue">{t('review.newEntry')}</Tag>}
        </Space>
      }
      extra={<Typography.Text type="secondary">{t('review.submittedBy', { a: item.authorName ?? item.author.replace(/^user:/, ''), d: formatDateTime(item.submittedAt, lang) })}</Typography.Text>}
    >
      {item.changeNote && (
        <Typography.Paragraph>
          <Typography.Text type="secondary">{t('editor.changeNote')}：</Typography.Text>
          {item.changeNote}
        </Typography.Paragraph>
      )}
      <DiffView diff={item.diff} />
      <ErrorAlert error={error} style={{ marginTop: 16 }} />
      {canAct && (
        <div style={{ marginTop: 16 }}>
          {item.canApprove ? (
            <Space wrap style={{ width: '100%' }}>
              <Input style={{ width: 360 }} placeholder={t('review.comment')} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} data-testid={`review-comment-${item.id}`} />
              <Button type="primary" icon={<CheckOutlined />} loading={busy === 'approve'} onClick={approve} data-testid={`review-approve-${item.id}`}>
                {t('review.approve')}
              </Button>
              <Button danger icon={<CloseOutlined />} onClick={() => setRejecting(true)} data-testid={`review-reject-${item.id}`}>
                {t('review.reject')}
              </Button>
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('review.own')}</Typography.Text>
          )}
        </div>
      )}
      <Modal
        open={isRejecting}
        title={t('review.reject')}
        onCancel={() => setRejecting(false)}
        onOk={reject}
        okButtonProps={{ danger: true, loading: busy === 'reject', ...({ 'data-testid': 'review-reject-confirm' } as Record<string, string>) }}
      >
        <Input.TextArea rows={4} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('review.rejectComment')} maxLength={1000} />
      </Modal>
    </Card>
  );
}
