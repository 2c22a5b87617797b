import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Form, InputNumber, Modal, Progress, Select, Table, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n';
import { ErrorAlert, useLoad } from '../../shell/common';
import { supervisionApi, type AgentRow } from '../../workspace/api';
import { agentStatusLabel, STATUS_COLORS } from '../../workspace/labels';

/** Agents with their status and load now; a supervisor sets their skills and seats. */
export function AgentsPage() {
  const { t } = useI18n();
  const { data, error, isLoading, reload } = useLoad(() => supervisionApi.agents(), []);
  const { data: skills } = useLoad(() => supervisionApi.skills(), []);
  const skillNames = useMemo(() => new Map((skills?.items ?? []).map((s) => [s.id, s.name])), [skills]);
  const [editing, setEditing] = useState<AgentRow | null>(null);

  // status and load change all day: keep the table fresh while it is open
  useEffect(() => {
    const timer = setInterval(reload, 15_000);
    return () => clearInterval(timer);
  }, [reload]);

  return (
    <Card title={t('cs.agents')} extra={<Button icon={<ReloadOutlined />} onClick={reload}>{t('common.refresh')}</Button>}>
      <Alert type="info" showIcon title={t('cs.agentsHint')} style={{ marginBottom: 16 }} />
      <ErrorAlert error={error} />
      <Table<AgentRow>
        rowKey="userId"
        size="middle"
        loading={isLoading && !data}
        dataSource={data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('cs.noAgents') }}
        columns={[
          { title: t('cs.agent'), dataIndex: 'name', width: 180 },
          { title: t('cs.status'), dataIndex: 'status', width: 110, render: (s: AgentRow['status']) => <Badge color={STATUS_COLORS[s]} text={agentStatusLabel(t, s)} /> },
          {
            title: t('cs.load'),
            width: 200,
            render: (_: unknown, a: AgentRow) => (
              <Progress percent={Math.round((a.load / Math.max(1, a.maxChats)) * 100)} format={() => `${a.load}/${a.maxChats}`} size="small" status={a.load >= a.maxChats ? 'exception' : 'normal'} />
            ),
          },
          {
            title: t('cs.agentSkills'),
            dataIndex: 'skills',
            render: (ids: string[]) => (ids.length ? ids.map((id) => <Tag key={id} color="geekblue">{skillNames.get(id) ?? id}</Tag>) : <Tag>{t('cs.allQueues')}</Tag>),
          },
          { title: t('common.actions'), width: 90, render: (_: unknown, a: AgentRow) => <button type="button" className="zx-link" onClick={() => setEditing(a)} data-testid={`agent-edit-${a.userId}`}>{t('common.edit')}</button> },
        ]}
      />
      {editing && (
        <AgentModal
          agent={editing}
          skillOptions={(skills?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
          onClose={(changed) => {
            setEditing(null);
            if (changed) reload();
          }}
        />
      )}
    </Card>
  );
}

function AgentModal({ agent, skillOptions, onClose }: { agent: AgentRow; skillOptions: { value: string; label: string }[]; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ skills: string[]; maxChats: number }>();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  async function onOk() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await supervisionApi.configureAgent(agent.userId, { skills: v.skills ?? [], maxChats: v.maxChats });
      onClose(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={agent.name} onCancel={() => onClose(false)} onOk={onOk} confirmLoading={isBusy} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={{ skills: agent.skills, maxChats: agent.maxChats }}>
        <Form.Item name="skills" label={t('cs.agentSkills')} extra={t('cs.agentsHint')}>
          <Select mode="multiple" options={skillOptions} allowClear placeholder={t('cs.allQueues')} />
        </Form.Item>
        <Form.Item name="maxChats" label={t('cs.maxChats')} rules={[{ required: true }]}>
          <InputNumber min={1} max={20} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
