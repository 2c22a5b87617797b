import { CalculatorOutlined, CheckOutlined, CloseOutlined, DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, type ButtonProps, Card, Col, DatePicker, Drawer, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { rules } from '../../api/endpoints';
import type { Jurisdiction, ParameterVersion } from '../../api/types';
import { DATE_PICKER_FORMAT, pickText, useI18n } from '../../i18n';
import { ErrorAlert, useLoad } from '../../shell/common';
import { useSession } from '../../shell/session';
import { ErrorDetails } from './ErrorDetails';
import { parameterReview, type ReviewedParameterVersion } from './parameter-review';
import { isScalar, ParamName, todayYmd, useRuleSetDocuments, ValueView, ymd, type ParameterInfo } from './shared';

/** The layers a jurisdiction reads, itself first (示例市 → 全国). */
function chainOf(code: string, all: Jurisdiction[]): string[] {
  const out: string[] = [];
  let j = all.find((x) => x.code === code);
  while (j && !out.includes(j.code)) {
    out.push(j.code);
    j = j.parent ? all.find((x) => x.code === j!.parent) : undefined;
  }
  return out;
}

/**
 * Parameters (政策参数) by jurisdiction and effective date: the values in force on a date and where
 * each comes from, every version, and adding a version from an effective date on — dates before
 * it keep the old values. A new version waits for review: a reviewer other than its author
 * approves it (then it applies) or rejects it with a comment.
 */
export function ParametersTab() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { can, me } = useSession();
  const mayEdit = can('rules.edit');
  const mayReview = can('rules.publish');
  const unpublished = useLoad(() => (can('rules.simulate') ? parameterReview.unpublished() : Promise.resolve({ items: [] })), [me.username]);
  const { params: labels } = useRuleSetDocuments();
  const list = useLoad(() => rules.parameters(), []);
  const [jurisdiction, setJurisdiction] = useState<string | undefined>();
  const [date, setDate] = useState(todayYmd());
  const inForce = useLoad(() => rules.inForce(date, jurisdiction), [date, jurisdiction]);
  const [isAdding, setAdding] = useState(false);
  const [saved, setSaved] = useState<ReviewedParameterVersion | null>(null);
  const [importError, setImportError] = useState<unknown>(null);
  const [isImporting, setImporting] = useState(false);

  useEffect(() => {
    if (!jurisdiction && inForce.data) setJurisdiction(inForce.data.jurisdiction);
  }, [inForce.data, jurisdiction]);

  const jurisdictions = list.data?.jurisdictions ?? [];
  const current = jurisdiction ?? inForce.data?.jurisdiction ?? '';
  const chain = chainOf(current, jurisdictions);
  const versions = (list.data?.items ?? []).filter((v) => chain.includes(v.jurisdiction));
  const jName = (code: string) => pickText(jurisdictions.find((j) => j.code === code)?.name ?? code, lang);

  /** The version in force on the date that gives each key its value (deepest layer, latest). */
  const sourceOf = useMemo(() => {
    const map = new Map<string, ParameterVersion>();
    const used = inForce.data?.versions ?? [];
    for (const id of used) {
      const v = list.data?.items.find((x) => x.id === id);
      if (v) for (const k of Object.keys(v.values)) map.set(k, v);
    }
    return map;
  }, [inForce.data, list.data]);

  async function importFile(file: File) {
    setImporting(true);
    setImportError(null);
    try {
      const r = await rules.importParameters(await file.arrayBuffer());
      message.success(t('rules.paramsImported', { n: r.created.length }));
      list.reload();
      inForce.reload();
      unpublished.reload();
    } catch (err) {
      setImportError(err);
    } finally {
      setImporting(false);
    }
  }

  const values = Object.entries(inForce.data?.values ?? {});
  return (
    <div data-testid="rules-params">
      <Space wrap style={{ marginBottom: 16 }}>
        <Typography.Text>{t('rules.jurisdiction')}{t('common.colon')}</Typography.Text>
        <Select
          style={{ minWidth: 220 }}
          value={current || undefined}
          onChange={setJurisdiction}
          options={jurisdictions.map((j) => ({ value: j.code, label: pickText(j.name, lang) }))}
          data-testid="params-jurisdiction"
        />
        <Typography.Text>{t('rules.onDate')}{t('common.colon')}</Typography.Text>
        <DatePicker format={DATE_PICKER_FORMAT} value={dayjs(date)} onChange={(d) => d && setDate(ymd(d))} allowClear={false} data-testid="params-date" />
        {mayEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="param-new">
            {t('rules.newParamVersion')}
          </Button>
        )}
        <Button icon={<DownloadOutlined />} href={rules.parametersExportUrl()}>
          {t('rules.exportExcel')}
        </Button>
        {mayEdit && (
          <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => { void importFile(f); return false; }}>
            <Button icon={<UploadOutlined />} loading={isImporting}>
              {t('rules.importExcel')}
            </Button>
          </Upload>
        )}
      </Space>
      <ErrorAlert error={list.error} />
      <ErrorAlert error={inForce.error} />
      <ErrorAlert error={importError} />
      <ErrorDetails error={importError} />
      {saved && <SavedVersion version={saved} labels={labels} jName={jName} onClose={() => setSaved(null)} />}
      <ErrorAlert error={unpublished.error} />
      {(unpublished.data?.items.length ?? 0) > 0 && (
        <ReviewQueue
          versions={unpublished.data!.items}
          labels={labels}
          jName={jName}
          mayReview={mayReview}
          me={me.username ? `user:${me.username}` : null}
          onReviewed={(v) => {
            unpublished.reload();
            if (v.status === 'published') {
              setSaved(v);
              list.reload();
              inForce.reload();
            }
          }}
        />
      )}

      <Typography.Title level={5}>{t('rules.valuesOn', { date, j: jName(current) })}</Typography.Title>
          <Table
            size="small"
            rowKey={([k]) => k}
            loading={inForce.isLoading}
            dataSource={values}
            pagination={false}
            tableLayout="fixed"
            data-testid="params-in-force"
            columns={[
              { title: t('rules.parameter'), width: '34%', render: (_, [k]) => <ParamName k={k} info={labels.get(k)} /> },
              { title: t('rules.value'), render: (_, [k, v]) => <span data-testid={`param-value-${k}`}><ValueView value={v} /></span> },
              {
                title: t('rules.source'),
                width: 180,
                render: (_, [k]) => {
                  const v = sourceOf.get(k);
                  return v ? (
                    <Space orientation="vertical" size={0}>
                      <Typography.Text style={{ fontSize: 12 }}>{jName(v.jurisdiction)}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rules.since', { d: v.effectiveFrom })}</Typography.Text>
                    </Space>
                  ) : null;
                },
              },
            ]}
          />
      <Typography.Title level={5} style={{ marginTop: 24 }}>{t('rules.paramVersions')}</Typography.Title>
      <VersionList versions={versions} labels={labels} jName={jName} date={date} isLoading={list.isLoading} />
      {isAdding && (
        <NewVersionDrawer
          jurisdictions={jurisdictions}
          initialJurisdiction={current}
          allVersions={list.data?.items ?? []}
          labels={labels}
          onClose={(v) => {
            setAdding(false);
            if (v) {
              setSaved(v);
              unpublished.reload();
            }
          }}
        />
      )}
    </div>
  );
}

function VersionList({ versions, labels, jName, date, isLoading }: { versions: ParameterVersion[]; labels: Map<string, ParameterInfo>; jName: (c: string) => string; date: string; isLoading: boolean }) {
  const { t } = useI18n();
  const sorted = [...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : a.id < b.id ? 1 : -1));
  return (
    <Table<ParameterVersion>
      size="small"
      rowKey="id"
      loading={isLoading}
      dataSource={sorted}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      data-testid="params-versions"
      expandable={{
        expandedRowRender: (v) => (
          <Table
            size="small"
            pagination={false}
            rowKey={([k]) => k}
            dataSource={Object.entries(v.values)}
            columns={[
              { title: t('rules.parameter'), width: '50%', render: (_, [k]) => <ParamName k={k} info={labels.get(k)} /> },
              { title: t('rules.value'), render: (_, [, x]) => <ValueView value={x} /> },
            ]}
          />
        ),
      }}
      tableLayout="fixed"
      columns={[
        { title: t('rules.version'), dataIndex: 'id', width: 200, render: (id: string) => <Typography.Text code style={{ fontSize: 12 }}>{id}</Typography.Text> },
        {
          title: t('rules.effectiveFrom'),
          dataIndex: 'effectiveFrom',
          width: 130,
          render: (d: string, v) => (
            <Space orientation="vertical" size={2}>
              <Typography.Text strong>{d}</Typography.Text>
              {d > date ? <Tag color="orange">{t('rules.upcoming')}</Tag> : v.effectiveTo && v.effectiveTo <= date ? <Tag>{t('rules.expired')}</Tag> : <Tag color="green">{t('rules.inForce')}</Tag>}
            </Space>
          ),
        },
        { title: t('rules.jurisdiction'), dataIndex: 'jurisdiction', width: 160, render: (j: string) => jName(j) },
        {
          title: t('rules.changes'),
          render: (_, v) => {
            const keys = Object.keys(v.values);
            return (
              <div style={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}>
                {keys.slice(0, 4).map((k) => (
                  <Typography.Text key={k} style={{ fontSize: 12 }}>
                    {labels.get(k)?.label ?? k}
                    {isScalar(v.values[k]) && <>{t('common.colon')}<strong>{String(v.values[k])}</strong></>}
                  </Typography.Text>
                ))}
                {keys.length > 4 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rules.andMore', { n: keys.length - 4 })}</Typography.Text>}
                {v.note && <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }} ellipsis={{ rows: 2, tooltip: v.note }}>{v.note}</Typography.Paragraph>}
              </div>
            );
          },
        },
      ]}
    />
  );
}

const firstOfNextMonth = () => dayjs().add(1, 'month').startOf('month');

/** Adds a parameter version: the current values listed, new values from an effective date on. */
function NewVersionDrawer({ jurisdictions, initialJurisdiction, allVersions, labels, onClose }: {
  jurisdictions: Jurisdiction[];
  initialJurisdiction: string;
  allVersions: ParameterVersion[];
  labels: Map<string, ParameterInfo>;
  onClose: (saved?: ReviewedParameterVersion) => void;
}) {
  const { t, lang } = useI18n();
  const [jurisdiction, setJurisdiction] = useState(initialJurisdiction);
  const [from, setFrom] = useState<Dayjs>(firstOfNextMonth());
  const [next, setNext] = useState<Record<string, number | null>>({});
  const [extraKeys, setExtraKeys] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setSaving] = useState(false);
  const effectiveFrom = ymd(from);
  const before = useLoad(() => rules.inForce(effectiveFrom, jurisdiction), [effectiveFrom, jurisdiction]);

  // The keys this layer sets (numbers: rates, wages, ratios, limits), then any other chosen.
  const layerKeys = [...new Set(allVersions.filter((v) => v.jurisdiction === jurisdiction).flatMap((v) => Object.keys(v.values)))];
  const currentValues = before.data?.values ?? {};
  const numericKeys = (keys: string[]) => keys.filter((k) => typeof currentValues[k] === 'number');
  const keys = [...new Set([...numericKeys(layerKeys), ...extraKeys])];
  const otherKeys = numericKeys(Object.keys(currentValues)).filter((k) => !keys.includes(k));
  const changes = keys.filter((k) => next[k] !== undefined && next[k] !== null && next[k] !== currentValues[k]);

  async function save() {
    if (changes.length === 0) return setError(new Error(t('rules.noChanges')));
    setSaving(true);
    setError(null);
    try {
      const v = await parameterReview.submit({
        jurisdiction,
        effectiveFrom,
        values: Object.fromEntries(changes.map((k) => [k, next[k]])),
        note: note.trim() || undefined,
      });
      onClose(v);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer
      open
      size="large"
      title={t('rules.newParamVersion')}
      onClose={() => onClose()}
      data-testid="param-drawer"
      extra={
        <Space>
          <Button onClick={() => onClose()}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={save} loading={isSaving} disabled={changes.length === 0} data-testid="param-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('rules.newParamHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item label={t('rules.jurisdiction')} required>
              <Select
                value={jurisdiction}
                onChange={(j) => { setJurisdiction(j); setNext({}); setExtraKeys([]); }}
                options={jurisdictions.map((j) => ({ value: j.code, label: pickText(j.name, lang) }))}
                data-testid="param-jurisdiction"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('rules.effectiveFrom')} required extra={t('rules.effectiveFromHint')}>
              <DatePicker format={DATE_PICKER_FORMAT} value={from} onChange={(d) => d && setFrom(d)} allowClear={false} style={{ width: '100%' }} data-testid="param-effective-from" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <ErrorAlert error={before.error} />
      <Table
        size="small"
        rowKey={(k) => k}
        loading={before.isLoading}
        dataSource={keys}
        pagination={false}
        data-testid="param-form"
        columns={[
          { title: t('rules.parameter'), render: (k: string) => <ParamName k={k} info={labels.get(k)} /> },
          { title: t('rules.valueBefore', { d: effectiveFrom }), width: 150, render: (k: string) => <ValueView value={currentValues[k]} /> },
          {
            title: t('rules.newValue'),
            width: 170,
            render: (k: string) => (
              <InputNumber
                style={{ width: 150 }}
                value={next[k] ?? null}
                min={0}
                placeholder={String(currentValues[k] ?? '')}
                onChange={(v) => setNext((n) => ({ ...n, [k]: v === null ? null : Number(v) }))}
                data-testid={`param-input-${k}`}
                className={next[k] !== undefined && next[k] !== null && next[k] !== currentValues[k] ? 'zx-changed' : undefined}
              />
            ),
          },
        ]}
      />
      {otherKeys.length > 0 && (
        <Space style={{ marginTop: 12 }} wrap>
          <Typography.Text type="secondary">{t('rules.addOtherParam')}</Typography.Text>
          <Select
            showSearch
            style={{ minWidth: 320 }}
            placeholder={t('rules.chooseParam')}
            value={null}
            onChange={(k: string) => setExtraKeys((x) => [...x, k])}
            options={otherKeys.map((k) => ({ value: k, label: `${labels.get(k)?.label ?? ''} ${k}`.trim() }))}
            optionFilterProp="label"
          />
        </Space>
      )}
      <Form layout="vertical" style={{ marginTop: 16 }}>
        <Form.Item label={t('rules.note')}>
          <Input.TextArea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('rules.notePlaceholder')} data-testid="param-note" />
        </Form.Item>
      </Form>
      {changes.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('rules.previewTitle', { d: effectiveFrom })}
          description={
            <>
              <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
                {changes.map((k) => (
                  <li key={k}>
                    {labels.get(k)?.label ?? k}{t('common.colon')}{String(currentValues[k])} → <strong>{String(next[k])}</strong>
                  </li>
                ))}
              </ul>
              {t('rules.previewEarlier', { d: effectiveFrom })}
            </>
          }
          data-testid="param-preview"
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rules.enterNewValues')} />
      )}
      <ErrorAlert error={error} style={{ marginTop: 16 }} />
    </Drawer>
  );
}

/**
 * After submitting: the values in force on the effective date next to the proposed ones (nothing
 * applies before review). After approval: the values the day before and from the effective date,
 * and where to try them.
 */
function SavedVersion({ version, labels, jName, onClose }: { version: ReviewedParameterVersion; labels: Map<string, ParameterInfo>; jName: (c: string) => string; onClose: () => void }) {
  const { t } = useI18n();
  const dayBefore = dayjs(version.effectiveFrom).subtract(1, 'day').format('YYYY-MM-DD');
  const a = useLoad(() => rules.inForce(dayBefore, version.jurisdiction), [dayBefore, version.jurisdiction]);
  const b = useLoad(() => rules.inForce(version.effectiveFrom, version.jurisdiction), [version.effectiveFrom, version.jurisdiction, version.status]);
  const keys = Object.keys(version.values);
  const ruleSets = new Map<string, string>();
  for (const k of keys) for (const r of labels.get(k)?.ruleSets ?? []) ruleSets.set(r.id, r.name);
  if (version.status === 'pending') {
    return (
      <Card
        size="small"
        style={{ marginBottom: 20, borderColor: '#ffd591', background: '#fff7e6' }}
        title={t('rules.submittedTitle', { id: version.id })}
        extra={<Button size="small" type="text" onClick={onClose}>{t('chat.close')}</Button>}
        data-testid="param-submitted"
      >
        <Typography.Paragraph>{t('rules.submittedText', { j: jName(version.jurisdiction), d: version.effectiveFrom })}</Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey={(k) => k}
          dataSource={keys}
          columns={[
            { title: t('rules.parameter'), render: (k: string) => <ParamName k={k} info={labels.get(k)} /> },
            { title: t('rules.valueBefore', { d: version.effectiveFrom }), render: (k: string) => <ValueView value={b.data?.values[k]} /> },
            { title: t('rules.proposedValue'), render: (k: string) => <strong data-testid={`param-proposed-${k}`}><ValueView value={version.values[k]} /></strong> },
          ]}
        />
      </Card>
    );
  }
  return (
    <Card
      size="small"
      style={{ marginBottom: 20, borderColor: '#b7eb8f', background: '#f6ffed' }}
      title={t('rules.savedTitle', { id: version.id })}
      extra={<Button size="small" type="text" onClick={onClose}>{t('chat.close')}</Button>}
      data-testid="param-saved"
    >
      <Typography.Paragraph>{t('rules.savedText', { j: jName(version.jurisdiction), d: version.effectiveFrom })}</Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        rowKey={(k) => k}
        dataSource={keys}
        columns={[
          { title: t('rules.parameter'), render: (k: string) => <ParamName k={k} info={labels.get(k)} /> },
          { title: t('rules.until', { d: dayBefore }), render: (k: string) => <ValueView value={a.data?.values[k]} /> },
          { title: t('rules.from', { d: version.effectiveFrom }), render: (k: string) => <strong data-testid={`param-after-${k}`}><ValueView value={b.data?.values[k]} /></strong> },
        ]}
      />
      {ruleSets.size > 0 && (
        <Space wrap style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t('rules.tryIt')}</Typography.Text>
          {[...ruleSets].map(([id, name]) => (
            <Space key={id} size={4}>
              <Link to={`/calculators/${encodeURIComponent(id)}?date=${version.effectiveFrom}`} data-testid={`param-try-${id}`}>
                <Button size="small" icon={<CalculatorOutlined />}>
                  {t('rules.tryOn', { name, d: version.effectiveFrom })}
                </Button>
              </Link>
              <Link to={`/calculators/${encodeURIComponent(id)}`}>
                <Button size="small" type="link">{t('rules.tryToday')}</Button>
              </Link>
            </Space>
          ))}
        </Space>
      )}
    </Card>
  );
}

/**
 * Versions awaiting review (and recently rejected ones, with the reviewer's comment). A reviewer
 * approves or rejects; their own submissions cannot be approved (the server refuses them too).
 */
function ReviewQueue({ versions, labels, jName, mayReview, me, onReviewed }: {
  versions: ReviewedParameterVersion[];
  labels: Map<string, ParameterInfo>;
  jName: (c: string) => string;
  mayReview: boolean;
  /** the signed-in user as the server labels authors (`user:name`) */
  me: string | null;
  onReviewed: (v: ReviewedParameterVersion) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rejecting, setRejecting] = useState<ReviewedParameterVersion | null>(null);
  const [comment, setComment] = useState('');
  const sorted = [...versions].sort((x, y) => (x.status === y.status ? (x.createdAt < y.createdAt ? 1 : -1) : x.status === 'pending' ? -1 : 1));

  async function review(v: ReviewedParameterVersion, action: 'approve' | 'reject') {
    setBusy(v.id);
    setError(null);
    try {
      const r = action === 'approve' ? await parameterReview.approve(v.id) : await parameterReview.reject(v.id, comment.trim());
      message.success(action === 'approve' ? t('rules.approvedMsg', { id: v.id, d: v.effectiveFrom }) : t('rules.rejectedMsg', { id: v.id }));
      setRejecting(null);
      setComment('');
      onReviewed(r);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div style={{ marginBottom: 24 }} data-testid="params-pending">
      <Typography.Title level={5}>{t('rules.pendingParams')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('rules.pendingHint')}</Typography.Paragraph>
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      <Table<ReviewedParameterVersion>
        size="small"
        rowKey="id"
        dataSource={sorted}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        tableLayout="fixed"
        onRow={(v) => ({ 'data-testid': `param-pending-${v.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('rules.version'), dataIndex: 'id', width: 200, render: (id: string) => <Typography.Text code style={{ fontSize: 12 }}>{id}</Typography.Text> },
          { title: t('rules.effectiveFrom'), dataIndex: 'effectiveFrom', width: 110 },
          { title: t('rules.jurisdiction'), dataIndex: 'jurisdiction', width: 140, render: (j: string) => jName(j) },
          {
            title: t('rules.changes'),
            render: (_, v) => (
              <div style={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}>
                {Object.entries(v.values).map(([k, x]) => (
                  <Typography.Text key={k} style={{ fontSize: 12 }}>
                    {labels.get(k)?.label ?? k}
                    {isScalar(x) ? <>{t('common.colon')}<strong>{String(x)}</strong></> : <ValueView value={x} />}
                  </Typography.Text>
                ))}
                {v.note && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v.note}</Typography.Text>}
              </div>
            ),
          },
          { title: t('rules.submittedBy'), dataIndex: 'createdBy', width: 150, render: (by: string) => by.replace(/^user:/, '') },
          {
            title: t('common.actions'),
            width: 210,
            render: (_, v) => {
              if (v.status === 'rejected') {
                return (
                  <Space orientation="vertical" size={2}>
                    <Tag color="red">{t('rules.statusRejected')}</Tag>
                    {v.reviewComment && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rules.reviewComment')}{t('common.colon')}{v.reviewComment}</Typography.Text>}
                  </Space>
                );
              }
              const isOwn = me !== null && v.createdBy === me;
              return (
                <Space wrap>
                  <Tag color="orange">{t('rules.statusPending')}</Tag>
                  {mayReview && (
                    <>
                      <Tooltip title={isOwn ? t('rules.ownChange') : undefined}>
                        <Button size="small" type="primary" icon={<CheckOutlined />} disabled={isOwn} loading={busy === v.id} onClick={() => review(v, 'approve')} data-testid={`param-approve-${v.id}`}>
                          {t('rules.approve')}
                        </Button>
                      </Tooltip>
                      <Button size="small" danger icon={<CloseOutlined />} disabled={busy === v.id} onClick={() => { setRejecting(v); setComment(''); }} data-testid={`param-reject-${v.id}`}>
                        {t('rules.reject')}
                      </Button>
                    </>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      <Modal
        open={rejecting !== null}
        title={rejecting ? t('rules.rejectTitle', { id: rejecting.id }) : ''}
        okText={t('rules.reject')}
        okButtonProps={{ danger: true, disabled: !comment.trim(), loading: rejecting !== null && busy === rejecting.id, 'data-testid': 'param-reject-confirm' } as ButtonProps}
        cancelText={t('common.cancel')}
        onOk={() => rejecting && review(rejecting, 'reject')}
        onCancel={() => setRejecting(null)}
      >
        <Input.TextArea rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('rules.rejectComment')} data-testid="param-reject-comment" />
      </Modal>
    </div>
  );
}
