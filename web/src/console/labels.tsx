import { Tag } from 'antd';
import { useI18n, type MessageKey } from '../i18n';

const STATE_COLORS: Record<string, string> = {
  draft: 'default',
  in_review: 'gold',
  published: 'green',
  archived: 'red',
  rejected: 'volcano',
  superseded: 'default',
};

/** A colored tag for an entry state or a version status. */
export function StateTag({ state }: { state: string }) {
  const { t } = useI18n();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-testid="state-tag">
      {t(`state.${state}` as MessageKey)}
    </Tag>
  );
}

export function RoleTags({ roles }: { roles: string[] }) {
  const { t } = useI18n();
  return (
    <>
      {roles.map((r) => (
        <Tag key={r} color={r === 'admin' ? 'red' : r === 'reviewer' ? 'purple' : r === 'editor' ? 'blue' : r === 'supervisor' ? 'cyan' : 'default'}>
          {t(`role.${r}` as MessageKey)}
        </Tag>
      ))}
    </>
  );
}
