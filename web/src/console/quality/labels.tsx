import { Tag } from 'antd';
import type { FlagStatus } from '../../api/quality';
import type { MessageKey, Translate } from '../../i18n';

const STATUS_COLORS: Record<FlagStatus, string> = { open: 'orange', confirmed: 'red', overturned: 'default', appealed: 'purple' };

/** A flag's status as a coloured tag. */
export function FlagStatusTag({ status, t }: { status: FlagStatus; t: Translate }) {
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="quality-flag-status" data-status={status}>
      {t(`quality.status.${status}` as MessageKey)}
    </Tag>
  );
}

/** A score: green from 90, orange from 70, red below. */
export function ScoreTag({ score }: { score: number | null }) {
  if (score === null) return <Tag>—</Tag>;
  const color = score >= 90 ? 'green' : score >= 70 ? 'orange' : 'red';
  return (
    <Tag color={color} data-testid="quality-score" data-score={score}>
      {score}
    </Tag>
  );
}

/** Who wrote a transcript message. */
export const senderLabel = (t: Translate, sender: string) =>
  ['customer', 'agent', 'robot', 'system'].includes(sender) ? t(`quality.sender.${sender}` as MessageKey) : sender;

/** A rate 0–1 as a percentage, or a dash. */
export const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);
