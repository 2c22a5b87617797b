import { ArrowLeftOutlined, EyeOutlined, RollbackOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, Popconfirm, Radio, Row, Select, Space, Table, Tabs, Tag, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { kb, manage, type EntryContentInput } from '../api/endpoints';
import { ROLES, type Diff, type ManagedEntry, type Version } from '../api/types';
import { formatDateTime, useI18n, type MessageKey } from '../i18n';
import { toTreeData } from '../portal/KnowledgeSearch';
import { ErrorAlert, PageSpin, useLoad } from '../shell/common';
import { useSession } from '../shell/session';
import { DiffView } from './DiffView';
import { NeedsReviewerAlert } from './NeedsReviewerAlert';
import { StateTag } from './labels';
import { renderPreview } from '../shell/markdown';

interface FormValues {
  id?: string;
  category: string;
  question: string;
  similar: string;
  answer: string;
  keywords: string[];
  references: string;
  audience: 'public' | 'staff';
  roles: string[];
  effectiveFrom: string | null;
  expiresAt: string | null;
  changeNote?: string;
}

const lines = (text: string | undefined) => (text ?? '').split('\n').map((s) => s.trim()).filter(Boolean);

function toForm(v: Version): FormValues {
  return {
    category: v.category,
    question: v.question,
    similar: v.similar.join('\n'),
    answer: v.answer,
    keywords: v.keywords,
    references: v.references.join('\n'),
    audience: v.audience,
    roles: v.roles,
    effectiveFrom: v.effectiveFrom,
    expiresAt: v.expiresAt,
    changeNote: '',
  };
}

function toInput(v: FormValues): EntryContentInput {
  return {
    category: v.category,
    question: v.question.trim(),
    similar: lines(v.similar),
    answer: v.answer,
    keywords: v.keywords ?? [],
    references: lines(v.references),
    audience: v.audience,
    roles: v.audience === 'staff' ? (v.roles ?? []) : [],
    effectiveFrom: v.effectiveFrom ?? null,
    expiresAt: v.expiresAt ?? null,
    changeNote: v.changeNote?.trim() || undefined,
  };
}

const dateItem = {
  getValueProps: (v: string | null) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

/** Create or edit an entry: form with Markdown preview, submit for review, history with diffs and rollback. */
export function EntryEditor() {
  const { id } = useParams();
  if (!id) return <EditorForm />;
  return <ExistingEntry id={id} key={id} />;
}

function ExistingEntry({ id }: { id: string }) {
  const { data: entry, error, isLoading, reload } = useLoad(() => manage.get(id), [id]);
  if (isLoading && !entry) return <PageSpin />;
  if (!entry) return <ErrorAlert error={error} />;
  return <EditorForm entry={entry} reload={reload} />;
}

function EditorForm({ entry, reload }: { entry?: ManagedEntry; reload?: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'' | 'save' | 'submit' | 'archive'>('');
  const { data: tree } = useLoad(() => kb.categories(), []);
  const answer = Form.useWatch('answer', form) ?? '';
  const audience = Form.useWatch('audience', form);
  const preview = useMemo(() => renderPreview(answer), [answer]);
  const isEditable = can('kb.edit');

  // A reloaded entry becomes the form's new starting point (values and untouched state).
  useEffect(() => {
    if (entry) form.resetFields();
  }, [entry, form]);

  async function save(): Promise<boolean> {
    const values = await form.validateFields();
    setError(null);
    if (!entry) {
      const created = await manage.create({ ...toInput(values), id: values.id?.trim() || undefined });
      message.success(t('editor.saved', { v: created.version }));
      navigate(`/console/entries/${encodeURIComponent(created.id)}`, { replace: true });
      return false;
    }
    const saved = await manage.save(entry.id, { ...toInput(values), baseVersion: entry.latestVersion });
    message.success(t('editor.saved', { v: saved.version }));
    return true;
  }

  async function run(kind: 'save' | 'submit', action: () => Promise<void>) {
    setBusy(kind);
    try {
      await action();
    } catch (err) {
      if (!(err && typeof err === 'object' && 'errorFields' in err)) setError(err);
    } finally {
      setBusy('');
    }
  }

  const onSave = () =>
    run('save', async () => {
      if (await save()) reload?.();
    });

  // 提交审核 saves what is on screen first when it differs from the draft, so the reviewer sees it.
  const onSubmit = () =>
    run('submit', async () => {
      if (!entry) return;
      if (form.isFieldsTouched() || entry.latest.status !== 'draft') await save();
      await manage.submit(entry.id);
      message.success(t('editor.submitted'));
      reload?.();
    });

  async function toggleArchive() {
    if (!entry) return;
    setBusy('archive');
    try {
      await manage.archive(entry.id, !entry.isArchived);
      reload?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy('');
    }
  }

  const latest = entry?.latest;

  const content = (
    <Form<FormValues>
      form={form}
      layout="vertical"
      disabled={!isEditable}
      initialValues={entry ? toForm(entry.latest) : { audience: 'public', roles: [], keywords: [], similar: '', references: '', effectiveFrom: null, expiresAt: null }}
    >
      <Row gutter={16}>
        {!entry && (
          <Col xs={24} md={8}>
            <Form.Item name="id" label={t('editor.id')} rules={[{ pattern: /^[A-Za-z0-9_.-]*$/, message: 'A-Z a-z 0-9 _ . -' }]}>
              <Input maxLength={64} data-testid="entry-id" />
            </Form.Item>
          </Col>
        )}
        <Col xs={24} md={entry ? 12 : 8}>
          <Form.Item name="category" label={t('editor.category')} rules={[{ required: true }]}>
            <TreeSelect treeData={tree ? toTreeData(tree.items) : []} treeDefaultExpandAll showSearch treeNodeFilterProp="title" data-testid="entry-category" />
          </Form.Item>
        </Col>
        <Col xs={12} md={entry ? 6 : 4}>
          <Form.Item name="audience" label={t('editor.audience')}>
            <Radio.Group optionType="button" options={[{ value: 'public', label: t('audience.public') }, { value: 'staff', label: t('audience.staff') }]} />
          </Form.Item>
        </Col>
        <Col xs={12} md={entry ? 6 : 4}>
          {audience === 'staff' && (
            <Form.Item name="roles" label={t('editor.roles')}>
              <Select mode="multiple" allowClear options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Form.Item name="question" label={t('editor.question')} rules={[{ required: true, whitespace: true, min: 2 }]}>
        <Input maxLength={500} data-testid="entry-question-input" />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Form.Item name="answer" label={t('editor.answer')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea autoSize={{ minRows: 12, maxRows: 30 }} maxLength={50_000} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 13 }} data-testid="entry-answer" />
          </Form.Item>
        </Col>
        <Col xs={24} lg={12}>
          <div className="ant-form-item-label" style={{ paddingBottom: 8 }}>
            <Typography.Text>
              <EyeOutlined /> {t('editor.preview')}
            </Typography.Text>
          </div>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: preview comes from renderPreview (shell/markdown.ts), which escapes raw HTML and keeps only safe link schemes */}
          <div className="zx-preview zx-answer" data-testid="entry-preview" dangerouslySetInnerHTML={{ __html: preview }} />
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="similar" label={t('editor.similarLines')}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="references" label={t('editor.referencesLines')}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="keywords" label={t('editor.keywords')}>
            <Select mode="tags" open={false} tokenSeparators={[',', '，', ' ']} placeholder={t('editor.similarHint')} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="effectiveFrom" label={t('editor.effectiveFrom')} {...dateItem}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="expiresAt" label={t('editor.expiresAt')} {...dateItem}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="changeNote" label={t('editor.changeNote')}>
        <Input maxLength={500} data-testid="entry-change-note" />
      </Form.Item>
      {isEditable && (
        <Space>
          <Button icon={<SaveOutlined />} onClick={onSave} loading={busy === 'save'} data-testid="entry-save">
            {t('editor.saveDraft')}
          </Button>
          {entry && (
            <Button type="primary" icon={<SendOutlined />} onClick={onSubmit} loading={busy === 'submit'} data-testid="entry-submit">
              {t('editor.submit')}
            </Button>
          )}
        </Space>
      )}
    </Form>
  );

  return (
    <Card
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/console/entries')} />
          <span>{entry ? t('editor.title') : t('editor.newTitle')}</span>
          {entry && <Typography.Text code>{entry.id}</Typography.Text>}
          {entry && (
            <span data-testid="entry-state" data-state={entry.state}>
              <StateTag state={entry.state} />
            </span>
          )}
          {entry && <Tag>v{entry.publishedVersion ?? '—'} / v{entry.latestVersion}</Tag>}
        </Space>
      }
      extra={
        entry && (
          <Space>
            {entry.publishedVersion && !entry.isArchived && (
              <Link to={`/kb/${encodeURIComponent(entry.id)}`} target="_blank">
                <Button icon={<EyeOutlined />}>{t('editor.viewPublic')}</Button>
              </Link>
            )}
            {can('kb.review') && entry.publishedVersion && (
              <Popconfirm title={entry.isArchived ? t('editor.restore') : t('editor.archive')} onConfirm={toggleArchive}>
                <Button danger={!entry.isArchived} loading={busy === 'archive'}>
                  {entry.isArchived ? t('editor.restore') : t('editor.archive')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        )
      }
    >
      <ErrorAlert error={error} />
      {entry?.hasPendingChange && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('editor.pendingNotice', { v: entry.latestVersion, state: t(`state.${entry.latest.status}` as MessageKey), p: entry.publishedVersion ?? '—' })}
        />
      )}
      {entry && !entry.reviewerAvailable && (latest?.status === 'draft' || latest?.status === 'in_review') && <NeedsReviewerAlert />}
      {latest?.status === 'rejected' && latest.reviewComment && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('editor.reviewComment', { c: latest.reviewComment })} description={`${latest.reviewer ?? ''} · ${formatDateTime(latest.reviewedAt, lang)}`} />
      )}
      {entry?.feedback && (
        <Typography.Paragraph type="secondary">{t('editor.feedback', { h: entry.feedback.helpful, u: entry.feedback.unhelpful })}</Typography.Paragraph>
      )}
      {entry ? (
        <Tabs
          items={[
            { key: 'content', label: t('editor.content'), children: content },
            { key: 'history', label: t('editor.history'), children: <History entry={entry} onRolledBack={() => reload?.()} /> },
          ]}
        />
      ) : (
        content
      )}
    </Card>
  );
}

function History({ entry, onRolledBack }: { entry: ManagedEntry; onRolledBack: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const versions = [...entry.versions].sort((a, b) => b.version - a.version);
  const [from, setFrom] = useState<number | undefined>(entry.publishedVersion ?? versions[1]?.version);
  const [to, setTo] = useState<number>(entry.latestVersion);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function compare(a: number | undefined, b: number) {
    setError(null);
    try {
      setDiff(await manage.diff(entry.id, a, b));
    } catch (err) {
      setError(err);
    }
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: the default pair is compared once on opening; after that the user picks versions and presses compare
  useEffect(() => {
    void compare(from, to);
  }, []);

  async function rollback(version: number) {
    try {
      const r = await manage.rollback(entry.id, version);
      message.success(t('editor.rolledBack', { v: r.version }));
      onRolledBack();
    } catch (err) {
      setError(err);
    }
  }

  const options = versions.map((v) => ({ value: v.version, label: `v${v.version} · ${t(`state.${v.status}` as MessageKey)}` }));
  return (
    <div data-testid="entry-history">
      <ErrorAlert error={error} />
      <Table<Version>
        rowKey="version"
        size="small"
        pagination={false}
        dataSource={versions}
        columns={[
          { title: t('entries.versions'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
          { title: t('entries.state'), dataIndex: 'status', width: 100, render: (s: string) => <StateTag state={s} /> },
          { title: t('editor.author'), dataIndex: 'author', width: 150 },
          { title: t('entries.updatedAt'), dataIndex: 'createdAt', width: 150, render: (d: string) => formatDateTime(d, lang) },
          { title: t('editor.changeNote'), dataIndex: 'changeNote', render: (n: string | null, v) => <>{n}{v.reviewComment && <div><Typography.Text type="secondary">{t('editor.reviewComment', { c: v.reviewComment })}</Typography.Text></div>}</> },
          { title: t('editor.reviewer'), dataIndex: 'reviewer', width: 140 },
          {
            title: t('common.actions'),
            width: 200,
            render: (_, v) => (
              <Space>
                <button type="button" className="zx-link" onClick={() => { const prev = versions.find((x) => x.version < v.version)?.version; setFrom(prev); setTo(v.version); void compare(prev, v.version); }}>{t('editor.compare')}</button>
                {can('kb.edit') && v.version !== entry.latestVersion && (
                  <Popconfirm title={t('editor.rollbackConfirm', { v: v.version })} onConfirm={() => rollback(v.version)}>
                    <button type="button" className="zx-link" data-testid={`rollback-${v.version}`}>
                      <RollbackOutlined /> {t('editor.rollback')}
                    </button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Card size="small" style={{ marginTop: 16 }} title={t('editor.diff')}
        extra={
          <Space>
            {t('editor.from')}
            <Select size="small" style={{ width: 150 }} value={from} onChange={setFrom} options={options} allowClear />
            {t('editor.to')}
            <Select size="small" style={{ width: 150 }} value={to} onChange={setTo} options={options} />
            <Button size="small" type="primary" onClick={() => compare(from, to)}>{t('editor.compare')}</Button>
          </Space>
        }
      >
        {diff && <DiffView diff={diff} />}
      </Card>
    </div>
  );
}
