import { EyeOutlined, IdcardOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Empty, Form, Input, Modal, Spin, Tag, Typography, type ButtonProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { idNumberProblem, normalizeIdNumber } from '../../../common/id-number';
import type { Conversation } from '../../../common/conversations';
import { ApiError } from '../api/client';
import { formatDateTime, useI18n, type MessageKey, type Translate } from '../i18n';
import { ErrorAlert } from '../shell/common';
import { recordsApi, type RecordAccess, type ServiceRecord, type UnmaskableField } from './api';

/** The shortest reason the server accepts for a look-up by ID number or an unmasked field. */
const MIN_REASON = 4;

/**
 * The citizen's social insurance record, for the agent serving them. A read is audited and shown to
 * the citizen, so it happens when the tab is first opened and on 刷新 only, never on a re-render.
 * Without a verified citizen in the conversation the agent may look a caller up by ID number, with a reason.
 */
export function RecordsTab({ conversation }: { conversation: Conversation }) {
  const { t, lang } = useI18n();
  const [access, setAccess] = useState<RecordAccess>({ conversationId: conversation.id });
  const [record, setRecord] = useState<ServiceRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isLoading, setLoading] = useState(true);
  /** Fields shown in full: kept in this component only, gone when the conversation is left. */
  const [unmasked, setUnmasked] = useState<Partial<Record<UnmaskableField, string>>>({});
  const [unmasking, setUnmasking] = useState<UnmaskableField | null>(null);
  /** No verified citizen in this conversation (or not one this agent serves): the look-up by ID number is offered. */
  const [needsIdNumber, setNeedsIdNumber] = useState(false);
  // StrictMode runs effects twice in development: one opening of the tab must be one audited read
  const openedFor = useRef<string | null>(null);

  async function load(next: RecordAccess) {
    setLoading(true);
    setError(null);
    try {
      const answer = await recordsApi.lookup(next);
      setAccess(next);
      setRecord(answer);
      setUnmasked({});
    } catch (err) {
      // a refused refresh (the conversation was closed or transferred) takes the record off the screen too
      setRecord(null);
      setError(err);
      if ('conversationId' in next) setNeedsIdNumber(err instanceof ApiError && err.code === 'not_serving_verified_person');
    } finally {
      setLoading(false);
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: looks up once per conversation opened; later lookups are the agent's own (load is a new function every render)
  useEffect(() => {
    if (openedFor.current === conversation.id) return;
    openedFor.current = conversation.id;
    void load({ conversationId: conversation.id });
  }, [conversation.id]);

  /** Back to the form, for another caller: the record and anything unmasked leave the screen. */
  function lookUpAnother() {
    setRecord(null);
    setUnmasked({});
    setError(null);
    setNeedsIdNumber(true);
  }

  const byIdNumber = 'idNumber' in access ? access : null;
  const state = record ? 'record' : needsIdNumber ? 'not-verified' : isLoading ? 'loading' : 'error';

  return (
    <div data-testid="rec-tab" data-state={state}>
      <div className="zx-ws-hit-actions" style={{ marginTop: 0, marginBottom: 8 }}>
        <span>
          {record &&
            (byIdNumber ? (
              <Tag color="orange" icon={<IdcardOutlined />} data-testid="rec-by-id">
                {t('rec.byIdNumber')}
              </Tag>
            ) : (
              <Tag color="green">{t('rec.inConversation')}</Tag>
            ))}
        </span>
        {/* after a refused look-up by conversation, 刷新 asks again by conversation (the agent may have accepted it since) */}
        <Button size="small" icon={<ReloadOutlined />} loading={isLoading} onClick={() => void load(record ? access : { conversationId: conversation.id })} data-testid="rec-refresh">
          {t('rec.refresh')}
        </Button>
      </div>
      {isLoading && !record && !needsIdNumber && <Spin style={{ display: 'block', margin: 24 }} />}
      {state === 'not-verified' && (
        <>
          <Alert
            type="info"
            showIcon
            title={conversation.status === 'assigned' ? t('rec.notVerified') : t('rec.notServing')}
            style={{ marginBottom: 12 }}
            data-testid="rec-not-verified"
          />
          <LookupByIdNumber onLookup={load} isBusy={isLoading} />
        </>
      )}
      {!(error instanceof ApiError && error.code === 'not_serving_verified_person') && <ErrorAlert error={error} style={{ marginTop: 12 }} />}
      {record && (
        <div data-testid="rec-record">
          {byIdNumber && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '0 0 8px' }}>
              {t('rec.reasonGiven', { reason: byIdNumber.reason })}
              <Button type="link" size="small" onClick={lookUpAnother} data-testid="rec-lookup-another">
                {t('rec.lookupAnother')}
              </Button>
            </Typography.Paragraph>
          )}
          <PersonFields person={record.person} unmasked={unmasked} onUnmask={setUnmasking} />
          <RecordSummary record={record} />
          <Applications applications={record.applications} />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            {t('rec.updatedAt', { at: formatDateTime(record.updatedAt, lang) })}
          </Typography.Paragraph>
        </div>
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }} data-testid="rec-audit-note">
        <EyeOutlined /> {t('rec.auditNote')}
      </Typography.Paragraph>
      <UnmaskDialog
        field={unmasking}
        access={access}
        onCancel={() => setUnmasking(null)}
        onShown={(field, value) => {
          setUnmasked((current) => ({ ...current, [field]: value }));
          setUnmasking(null);
        }}
      />
    </div>
  );
}

const FIELD_LABELS: Record<UnmaskableField, MessageKey> = { name: 'rec.name', idNumber: 'rec.idNumber', phone: 'rec.phone' };

function PersonFields({ person, unmasked, onUnmask }: { person: ServiceRecord['person']; unmasked: Partial<Record<UnmaskableField, string>>; onUnmask: (field: UnmaskableField) => void }) {
  const { t } = useI18n();
  const masked: Record<UnmaskableField, string> = { name: person.name, idNumber: person.idNumberMasked, phone: person.phoneMasked };
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      items={(['name', 'idNumber', 'phone'] as const).map((field) => ({
        key: field,
        label: t(FIELD_LABELS[field]),
        children: (
          <span data-testid={`rec-field-${field}`} data-unmasked={unmasked[field] !== undefined}>
            <Typography.Text copyable={unmasked[field] !== undefined} data-testid={`rec-value-${field}`}>
              {unmasked[field] ?? masked[field]}
            </Typography.Text>
            {unmasked[field] === undefined && (
              <Button type="link" size="small" onClick={() => onUnmask(field)} data-testid={`rec-unmask-${field}`}>
                {t('rec.showFull')}
              </Button>
            )}
          </span>
        ),
      }))}
    />
  );
}

/** "14年9个月": what an agent says on the phone, not a bare count of months. */
export function yearsAndMonths(t: Translate, months: number) {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  if (!years) return t('rec.months', { m: rest });
  if (!rest) return t('rec.years', { y: years });
  return t('rec.yearsMonths', { y: years, m: rest });
}

/** "¥12,345.67" from the API's decimal string, without passing through a binary float. */
export function formatAmount(amount: string) {
  const [whole, cents = '00'] = amount.replace(/^-/, '').split('.');
  return `${amount.startsWith('-') ? '-' : ''}¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

const INSURANCES = ['pension', 'medical', 'unemployment', 'injury', 'maternity'] as const;

function RecordSummary({ record }: { record: ServiceRecord }) {
  const { t } = useI18n();
  return (
    <div style={{ marginTop: 12 }} data-testid="rec-summary">
      {INSURANCES.map((insurance) => {
        const summary = record[insurance];
        const isEmpty = summary.paidMonths === 0 && summary.arrearsMonths === 0;
        return (
          <div key={insurance} className="zx-ws-hit" data-testid={`rec-${insurance}`} data-paid-months={summary.paidMonths} data-arrears-months={summary.arrearsMonths}>
            <Typography.Text strong>{t(`rec.insurance.${insurance}` as MessageKey)}</Typography.Text>{' '}
            {isEmpty ? (
              <Typography.Text type="secondary">{t('rec.noContributions')}</Typography.Text>
            ) : (
              <>
                <span>
                  {t('rec.paid', { span: yearsAndMonths(t, summary.paidMonths) })}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {' '}
                    {t('rec.paidMonths', { n: summary.paidMonths })}
                  </Typography.Text>
                </span>
                {summary.arrearsMonths > 0 && (
                  <div>
                    <Typography.Text type="danger" strong data-testid={`rec-${insurance}-arrears`}>
                      {t('rec.arrears', { n: summary.arrearsMonths })}
                    </Typography.Text>
                  </div>
                )}
                {insurance === 'pension' && (
                  <div data-testid="rec-pension-balance">
                    {t('rec.accountBalance')}{t('common.colon')}<Typography.Text strong>{formatAmount(record.pension.accountBalance)}</Typography.Text>
                  </div>
                )}
                {summary.firstMonth && (
                  <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                    {t('rec.period', { from: summary.firstMonth, to: summary.lastMonth ?? '' })}
                  </Typography.Text>
                )}
              </>
            )}
          </div>
        );
      })}
    </div>
  );
}

function applicationTypeLabel(t: Translate, type: string) {
  const key = `rec.appType.${type}` as MessageKey;
  const text = t(key);
  return text === key ? type : text;
}

/** The core system writes statuses in its own words; their colour follows the words of an ending. */
function statusColor(status: string) {
  if (/办结|完成|通过|已发放|成功|completed|approved|done/i.test(status)) return 'green';
  if (/退回|不予|驳回|拒绝|失败|rejected|returned/i.test(status)) return 'red';
  return 'blue';
}

function Applications({ applications }: { applications: ServiceRecord['applications'] }) {
  const { t, lang } = useI18n();
  return (
    <div style={{ marginTop: 12 }} data-testid="rec-applications">
      <Typography.Title level={5} style={{ margin: '0 0 6px' }}>
        {t('rec.applications')}
      </Typography.Title>
      {!applications.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rec.noApplications')} />
      ) : (
        applications.map((a) => (
          <div key={a.id} className="zx-ws-hit" data-testid="rec-application" data-id={a.id}>
            <div className="zx-ws-hit-actions" style={{ marginTop: 0 }}>
              <Typography.Text strong>{applicationTypeLabel(t, a.type)}</Typography.Text>
              <Tag color={statusColor(a.status)}>{a.status}</Tag>
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.id} · {t('rec.submittedAt', { at: formatDateTime(a.submittedAt, lang) })} · {t('rec.changedAt', { at: formatDateTime(a.updatedAt, lang) })}
            </Typography.Text>
          </div>
        ))
      )}
    </div>
  );
}

const reasonRules = (t: Translate) => [
  { required: true, whitespace: true, message: t('rec.reasonRequired') },
  { validator: (_: unknown, value?: string) => ((value ?? '').trim().length >= MIN_REASON ? Promise.resolve() : Promise.reject(new Error(t('rec.reasonTooShort', { n: MIN_REASON })))) },
];

/** A caller on the phone, or a citizen who has not signed in: looked up by ID number, with the reason recorded. */
function LookupByIdNumber({ onLookup, isBusy }: { onLookup: (access: RecordAccess) => Promise<void>; isBusy: boolean }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<{ idNumber: string; reason: string }>();
  return (
    <Form
      form={form}
      layout="vertical"
      size="small"
      onFinish={(v) => void onLookup({ idNumber: normalizeIdNumber(v.idNumber), reason: v.reason.trim() })}
      data-testid="rec-lookup-form"
    >
      <Form.Item
        name="idNumber"
        label={t('rec.idNumber')}
        rules={[
          { required: true, message: t('rec.idNumberRequired') },
          {
            validator: (_, value?: string) => {
              const problem = value ? idNumberProblem(value) : null;
              return problem ? Promise.reject(new Error(problem[lang])) : Promise.resolve();
            },
          },
        ]}
      >
        <Input maxLength={22} autoComplete="off" data-testid="rec-lookup-id" />
      </Form.Item>
      <Form.Item name="reason" label={t('rec.reason')} rules={reasonRules(t)} extra={t('rec.reasonHint')}>
        <Input maxLength={200} placeholder={t('rec.lookupReasonPlaceholder')} data-testid="rec-lookup-reason" />
      </Form.Item>
      <Button type="primary" htmlType="submit" icon={<IdcardOutlined />} loading={isBusy} data-testid="rec-lookup-submit">
        {t('rec.lookup')}
      </Button>
    </Form>
  );
}

/** Asks why before one field is shown in full; the reason goes into the audit log and the citizen's view. */
function UnmaskDialog({ field, access, onCancel, onShown }: { field: UnmaskableField | null; access: RecordAccess; onCancel: () => void; onShown: (field: UnmaskableField, value: string) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);

  async function submit() {
    if (!field) return;
    const { reason } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const shown = await recordsApi.unmask(access, field, reason.trim());
      onShown(field, shown.value);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={field ? t('rec.unmaskTitle', { field: t(FIELD_LABELS[field]) }) : ''}
      open={field !== null}
      onCancel={() => {
        setError(null);
        onCancel();
      }}
      onOk={() => void submit()}
      okText={t('rec.showFull')}
      okButtonProps={{ loading: isBusy, 'data-testid': 'rec-unmask-submit' } as ButtonProps}
      destroyOnHidden
    >
      <ErrorAlert error={error} />
      <Typography.Paragraph type="secondary">{t('rec.unmaskHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false} onFinish={() => void submit()}>
        <Form.Item name="reason" label={t('rec.reason')} rules={reasonRules(t)}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('rec.unmaskReasonPlaceholder')} data-testid="rec-unmask-reason" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
