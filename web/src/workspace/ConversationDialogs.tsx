import { Form, Input, Modal, Radio, Select, TreeSelect, type ButtonProps } from 'antd';
import { useState } from 'react';
import type { Conversation } from '../../../common/conversations';
import { kb } from '../api/endpoints';
import { useI18n } from '../i18n';
import { toTreeData } from '../portal/KnowledgeSearch';
import { ErrorAlert, useLoad } from '../shell/common';
import { agentApi, type Skill } from './api';
import { agentStatusLabel } from './labels';

/** Close with a category from the knowledge tree and a summary; the citizen is then offered the survey. */
export function CloseDialog({ open, onCancel, onClosed, conversationId }: { open: boolean; onCancel: () => void; onClosed: (c: Conversation) => void; conversationId: string }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ category: string; summary: string }>();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const { data: tree } = useLoad(() => (open ? kb.categories() : Promise.resolve(undefined)), [open]);

  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      onClosed(await agentApi.close(conversationId, v.category, v.summary.trim()));
      form.resetFields();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={t('ws.closeTitle')}
      open={open}
      onCancel={onCancel}
      onOk={() => void submit()}
      okText={t('ws.closeSubmit')}
      okButtonProps={{ danger: true, loading: isBusy, 'data-testid': 'ws-close-submit' } as ButtonProps}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="category" label={t('ws.closeCategory')} rules={[{ required: true, message: t('ws.closeCategoryRequired') }]}>
          <TreeSelect
            treeData={tree ? toTreeData(tree.items) : []}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
            placeholder={t('ws.closeCategoryHint')}
            data-testid="ws-close-category"
            popupMatchSelectWidth={false}
          />
        </Form.Item>
        <Form.Item name="summary" label={t('ws.closeSummary')} rules={[{ required: true, whitespace: true, message: t('ws.closeSummaryRequired') }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('ws.closeSummaryHint')} data-testid="ws-close-summary" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Transfer to a colleague on duty or back into a skill's queue, with a note only staff see. */
export function TransferDialog({
  open,
  onCancel,
  onDone,
  conversationId,
  skills,
  currentAssignee,
}: {
  open: boolean;
  onCancel: () => void;
  onDone: () => void;
  conversationId: string;
  skills: Skill[];
  currentAssignee?: string;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ kind: 'agent' | 'skill'; agent?: string; skill?: string; note?: string }>();
  const kind = Form.useWatch('kind', form) ?? 'skill';
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const { data: agents } = useLoad(() => (open ? agentApi.colleagues() : Promise.resolve(undefined)), [open]);
  const available = (agents?.items ?? []).filter((a) => a.userId !== currentAssignee);

  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await agentApi.transfer(conversationId, v.kind === 'agent' ? { agent: v.agent! } : { skill: v.skill! }, v.note?.trim());
      form.resetFields();
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={t('ws.transferTitle')}
      open={open}
      onCancel={onCancel}
      onOk={() => void submit()}
      okText={t('ws.transfer')}
      okButtonProps={{ loading: isBusy, 'data-testid': 'ws-transfer-submit' } as ButtonProps}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: 'skill' }}>
        <Form.Item name="kind" label={t('ws.transferTo')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'skill', label: t('ws.transferSkill') },
              { value: 'agent', label: t('ws.transferAgent') },
            ]}
          />
        </Form.Item>
        {kind === 'agent' ? (
          <Form.Item name="agent" label={t('ws.transferAgent')} rules={[{ required: true }]} extra={available.length ? undefined : t('ws.noAgentsOnline')}>
            <Select
              data-testid="ws-transfer-agent"
              options={available.map((a) => ({ value: a.userId, label: `${a.name} · ${agentStatusLabel(t, a.status)} · ${a.load}/${a.maxChats}` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item name="skill" label={t('ws.transferSkill')} rules={[{ required: true }]} extra={skills.length ? undefined : t('ws.noSkills')}>
            <Select data-testid="ws-transfer-skill" options={skills.map((s) => ({ value: s.id, label: s.name }))} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('ws.transferNote')}>
          <Input.TextArea rows={3} maxLength={1000} placeholder={t('ws.transferNoteHint')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
