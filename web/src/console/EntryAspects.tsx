import { Alert, App, Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { robot } from '../api/endpoints';
import type { RobotAspects } from '../api/types';
import { useI18n, type MessageKey } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';
import { useSession } from '../shell/session';

/**
 * What each entry answers about its topic (conditions, where, documents, how long, how much …): the
 * robot reads it from the entry's questions and uses it for follow-ups; an editor corrects it here
 * (stored in the robot's settings, robot.configure).
 */
export function EntryAspects() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const { data, error, reload } = useLoad(() => robot.aspects(), []);
  const [filter, setFilter] = useState('');
  const [saveError, setSaveError] = useState<unknown>(null);
  const [savingId, setSavingId] = useState<string | null>(null);
  const rows = useMemo(() => (data?.entries ?? []).filter((e) => !filter || e.entryId.includes(filter) || e.question.includes(filter)), [data, filter]);
  const label = (a: string) => t(`robot.aspect.${a}` as MessageKey);

  async function save(entryId: string, aspects: string[] | null) {
    setSavingId(entryId);
    setSaveError(null);
    try {
      const settings = await robot.settings();
      const entryAspects = { ...(settings.entryAspects ?? {}) };
      if (aspects) entryAspects[entryId] = aspects;
      else delete entryAspects[entryId];
      await robot.saveSettings({ ...settings, entryAspects });
      message.success(t('robot.aspectsSaved'));
      reload();
    } catch (err) {
      setSaveError(err);
    } finally {
      setSavingId(null);
    }
  }

  const editable = can('robot.configure');
  return (
    <div data-testid="robot-aspects">
      <Alert type="info" showIcon message={t('robot.aspectsHelp')} style={{ marginBottom: 12 }} />
      <ErrorAlert error={error ?? saveError} style={{ marginBottom: 12 }} />
      <Input.Search allowClear placeholder={t('robot.aspectsFilter')} aria-label={t('robot.aspectsFilter')} onChange={(e) => setFilter(e.target.value.trim())} style={{ maxWidth: 360, marginBottom: 12 }} />
      <Table<RobotAspects['entries'][number]>
        rowKey="entryId"
        size="small"
        loading={!data && !error}
        dataSource={rows}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          { title: t('entries.id'), dataIndex: 'entryId', width: 100, render: (id: string) => <Link to={`/console/entries/${encodeURIComponent(id)}`}><Typography.Text code>{id}</Typography.Text></Link> },
          { title: t('entries.question'), dataIndex: 'question' },
          {
            title: t('robot.aspectsTab'),
            width: 380,
            render: (_, e) =>
              editable ? (
                <Select
                  mode="multiple"
                  size="small"
                  style={{ width: '100%' }}
                  value={e.aspects}
                  disabled={savingId === e.entryId}
                  options={(data?.aspects ?? []).map((a) => ({ value: a, label: label(a) }))}
                  onChange={(v: string[]) => void save(e.entryId, v)}
                  aria-label={`${e.entryId} ${t('robot.aspectsTab')}`}
                  data-testid={`aspects-${e.entryId}`}
                />
              ) : (
                <Space size={[4, 4]} wrap>{e.aspects.map((a) => <Tag key={a}>{label(a)}</Tag>)}</Space>
              ),
          },
          {
            title: '',
            width: 150,
            render: (_, e) =>
              e.edited ? (
                <Space size={4}>
                  <Tag color="blue">{t('robot.aspectsEdited')}</Tag>
                  {editable && <Button size="small" type="link" onClick={() => void save(e.entryId, null)}>{t('robot.aspectsReset')}</Button>}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('robot.aspectsAuto')}</Typography.Text>
              ),
          },
        ]}
      />
    </div>
  );
}
