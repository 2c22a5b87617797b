import { App, Button, Form, Input, Radio, Select, TreeSelect } from 'antd';
import { useState } from 'react';
import { kb } from '../api/endpoints';
import type { ServedEntry } from '../api/types';
import { useI18n } from '../i18n';
import { toTreeData } from '../portal/KnowledgeSearch';
import { ErrorAlert, useLoad } from '../shell/common';

interface Values {
  kind: 'new_entry' | 'edit';
  entryId?: string;
  question?: string;
  answer?: string;
  similar?: string[];
  keywords?: string[];
  categoryId?: string;
  text?: string;
}

/** An agent's proposal of a new entry or an edit; editors review it in the console. */
export function ProposeForm({ entry, onDone }: { entry?: ServedEntry; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const { data: tree } = useLoad(() => kb.categories(), []);
  const kind = Form.useWatch('kind', form) ?? (entry ? 'edit' : 'new_entry');

  async function onFinish(v: Values) {
    setBusy(true);
    setError(null);
    try {
      await kb.suggest({
        kind: v.kind,
        entryId: v.kind === 'edit' ? v.entryId : undefined,
        payload: {
          question: v.question?.trim() || undefined,
          answer: v.answer?.trim() || undefined,
          similar: v.similar?.length ? v.similar : undefined,
          keywords: v.keywords?.length ? v.keywords : undefined,
          categoryId: v.kind === 'new_entry' ? v.categoryId : undefined,
          text: v.text?.trim() || undefined,
        },
      });
      message.success(t('ws.sent'));
      form.resetFields();
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={onFinish}
      initialValues={entry ? { kind: 'edit', entryId: entry.id, question: entry.question, answer: entry.answer, categoryId: entry.category } : { kind: 'new_entry' }}
      data-testid="propose-form"
    >
      <ErrorAlert error={error} />
      <Form.Item name="kind" label={t('ws.kind')}>
        <Radio.Group optionType="button" options={[{ value: 'new_entry', label: t('ws.kindNew') }, { value: 'edit', label: t('ws.kindEdit') }]} />
      </Form.Item>
      {kind === 'edit' ? (
        <Form.Item name="entryId" label={t('ws.entryId')} rules={[{ required: true }]}>
          <Input maxLength={64} data-testid="propose-entry-id" />
        </Form.Item>
      ) : (
        <Form.Item name="categoryId" label={t('ws.category')}>
          <TreeSelect allowClear treeData={tree ? toTreeData(tree.items) : []} treeDefaultExpandAll showSearch treeNodeFilterProp="title" />
        </Form.Item>
      )}
      <Form.Item name="question" label={t('ws.question')} rules={kind === 'new_entry' ? [{ required: true, whitespace: true }] : []}>
        <Input maxLength={500} data-testid="propose-question" />
      </Form.Item>
      <Form.Item name="answer" label={t('ws.answer')} rules={kind === 'new_entry' ? [{ required: true, whitespace: true }] : []}>
        <Input.TextArea rows={8} maxLength={50_000} data-testid="propose-answer" />
      </Form.Item>
      <Form.Item name="similar" label={t('ws.similar')}>
        <Select mode="tags" open={false} tokenSeparators={['\n']} placeholder={t('editor.similarHint')} />
      </Form.Item>
      <Form.Item name="keywords" label={t('ws.keywords')}>
        <Select mode="tags" open={false} tokenSeparators={[',', '，']} placeholder={t('editor.similarHint')} />
      </Form.Item>
      <Form.Item name="text" label={t('ws.note')}>
        <Input.TextArea rows={2} maxLength={5000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={isBusy} data-testid="propose-submit">
        {t('common.submit')}
      </Button>
    </Form>
  );
}
