import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Input, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { DATE_PICKER_FORMAT, formatDate, useI18n, type MessageKey } from '../../i18n';
import { ErrorAlert, PageSpin, useLoad } from '../../shell/common';
import { useSession } from '../../shell/session';
import { supervisionApi, type ServiceHours, type Span, type Weekday } from '../../workspace/api';
import './conversations.css';

const WEEKDAYS: Weekday[] = ['1', '2', '3', '4', '5', '6', '7'];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const isValidSpan = ([from, to]: Span) => HHMM.test(from) && HHMM.test(to) && from < to;

/**
 * When agents are on duty (China time): spans per weekday, public holidays without service, and the
 * make-up working days (调休) with their own hours. A hand-off outside these hours becomes a left message.
 */
export function ServiceHoursPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const isEditable = can('conversations.configure');
  const { data, error } = useLoad(() => supervisionApi.serviceHours(), []);
  const [hours, setHours] = useState<ServiceHours | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  useEffect(() => {
    if (data) setHours(data);
  }, [data]);

  if (error) return <ErrorAlert error={error} />;
  if (!hours) return <PageSpin />;

  const setDay = (day: Weekday, spans: Span[]) => setHours({ ...hours, weekly: { ...hours.weekly, [day]: spans } });
  const allSpans = [...WEEKDAYS.flatMap((d) => hours.weekly[d]), ...hours.makeUpHours];
  const isValid = allSpans.every(isValidSpan);

  async function save() {
    setBusy(true);
    setSaveError(null);
    try {
      setHours(await supervisionApi.saveServiceHours(hours!));
      message.success(t('common.saved'));
    } catch (err) {
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  }

  const preset = (spans: Span[], weekdaysOnly: boolean) =>
    setHours({ ...hours, weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, weekdaysOnly && Number(d) > 5 ? [] : spans.map((s) => [...s] as Span)])) as ServiceHours['weekly'] });

  return (
    <Card
      title={t('cs.serviceHours')}
      extra={
        isEditable && (
          <Button type="primary" loading={isBusy} disabled={!isValid} onClick={() => void save()} data-testid="hours-save">
            {t('common.save')}
          </Button>
        )
      }
    >
      <Alert type="info" showIcon title={t('cs.hoursHint')} style={{ marginBottom: 16 }} />
      <ErrorAlert error={saveError} />
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Text type="secondary">{t('cs.preset')}{t('common.colon')}</Typography.Text>
        <Button size="small" disabled={!isEditable} onClick={() => preset([['00:00', '24:00']], false)}>
          {t('cs.allDay')}
        </Button>
        <Button size="small" disabled={!isEditable} onClick={() => preset([['08:30', '12:00'], ['13:30', '17:30']], true)}>
          {t('cs.workdays')}
        </Button>
      </Space>
      <Typography.Title level={5}>{t('cs.weekly')}</Typography.Title>
      <div className="zx-hours">
        {WEEKDAYS.map((d) => (
          <div key={d} className="zx-hours-row" data-testid={`hours-day-${d}`}>
            <span className="zx-hours-day">{t(`cs.weekday.${d}` as MessageKey)}</span>
            <SpansEditor spans={hours.weekly[d]} onChange={(s) => setDay(d, s)} isEditable={isEditable} />
          </div>
        ))}
      </div>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('cs.holidays')}
      </Typography.Title>
      <DatesEditor dates={hours.holidays} onChange={(holidays) => setHours({ ...hours, holidays })} isEditable={isEditable} testId="hours-holidays" />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('cs.makeUpDays')}
      </Typography.Title>
      <DatesEditor dates={hours.makeUpWorkdays} onChange={(makeUpWorkdays) => setHours({ ...hours, makeUpWorkdays })} isEditable={isEditable} testId="hours-makeup" />
      <div className="zx-hours-row" style={{ marginTop: 12 }}>
        <span className="zx-hours-day">{t('cs.makeUpHours')}</span>
        <SpansEditor spans={hours.makeUpHours} onChange={(makeUpHours) => setHours({ ...hours, makeUpHours })} isEditable={isEditable} />
      </div>
    </Card>
  );
}

function SpansEditor({ spans, onChange, isEditable }: { spans: Span[]; onChange: (spans: Span[]) => void; isEditable: boolean }) {
  const { t } = useI18n();
  const set = (i: number, part: 0 | 1, value: string) => onChange(spans.map((s, j) => (j === i ? ((part === 0 ? [value, s[1]] : [s[0], value]) as Span) : s)));
  return (
    <Space wrap size={[12, 8]}>
      {spans.length === 0 && <Tag>{t('cs.closedDay')}</Tag>}
      {spans.map((span, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: spans have no id and the inputs are controlled (no state of their own), so the position is the identity
        <Space.Compact key={i}>
          <Input value={span[0]} onChange={(e) => set(i, 0, e.target.value.trim())} style={{ width: 72 }} status={isValidSpan(span) ? undefined : 'error'} disabled={!isEditable} placeholder="08:30" />
          <Input value={span[1]} onChange={(e) => set(i, 1, e.target.value.trim())} style={{ width: 72 }} status={isValidSpan(span) ? undefined : 'error'} disabled={!isEditable} placeholder="17:30" title={isValidSpan(span) ? undefined : t('cs.spanInvalid')} />
          {isEditable && <Button icon={<DeleteOutlined />} onClick={() => onChange(spans.filter((_, j) => j !== i))} aria-label={t('common.delete')} />}
        </Space.Compact>
      ))}
      {isEditable && (
        <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => onChange([...spans, spans.length ? ['13:30', '17:30'] : ['08:30', '17:30']])}>
          {t('cs.addSpan')}
        </Button>
      )}
    </Space>
  );
}

function DatesEditor({ dates, onChange, isEditable, testId }: { dates: string[]; onChange: (dates: string[]) => void; isEditable: boolean; testId: string }) {
  const { t, lang } = useI18n();
  const sorted = [...dates].sort();
  return (
    <Space wrap size={[6, 8]} data-testid={testId}>
      {sorted.map((d) => (
        <Tag key={d} closable={isEditable} onClose={() => onChange(dates.filter((x) => x !== d))}>
          {formatDate(d, lang)} {t(`cs.weekday.${((dayjs(d).day() + 6) % 7) + 1}` as MessageKey)}
        </Tag>
      ))}
      {isEditable && (
        <DatePicker format={DATE_PICKER_FORMAT}
          size="small"
          placeholder={t('cs.addDate')}
          value={null}
          onChange={(value: Dayjs | null) => {
            const day = value?.format('YYYY-MM-DD');
            if (day && !dates.includes(day)) onChange([...dates, day]);
          }}
        />
      )}
    </Space>
  );
}
