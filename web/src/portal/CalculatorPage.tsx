import { CalculatorOutlined, EditOutlined, LeftOutlined, QuestionCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Collapse, DatePicker, Descriptions, Empty, Input, InputNumber, List, Radio, Result, Row, Space, Steps, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { rules } from '../api/endpoints';
import type { DetermineResult, InterviewQuestion, RuleSetInfo, RuleSetOutputDef, TraceEntry } from '../api/types';
import { pickText, useI18n, type Lang, type Translate } from '../i18n';
import { ErrorAlert, isNotAvailable, PageSpin, useLoad } from '../shell/common';

/**
 * 政策计算器: pick a rule set, then an interview — one question at a time, back and change
 * answers, and the result with its explanation (server/src/rules). A 404 from the rules API
 * (not deployed yet) shows a friendly notice instead of an error.
 */
export function CalculatorPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  // ?date=YYYY-MM-DD: work out with the parameters in force on that date (a policy change ahead)
  const [params, setParams] = useSearchParams();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : undefined;
  const setDate = (d?: string) => {
    const next = new URLSearchParams(params);
    if (d) next.set('date', d);
    else next.delete('date');
    setParams(next, { replace: true });
  };
  const { data, error, isLoading } = useLoad(() => rules.list(lang), [lang]);
  const list: RuleSetInfo[] = Array.isArray(data) ? data : (data?.items ?? []);

  if (isLoading && !data) return <PageSpin />;
  if (isNotAvailable(error))
    return (
      <Card title={<Space><CalculatorOutlined />{t('calc.title')}</Space>}>
        <Result status="info" title={t('calc.title')} subTitle={t('calc.unavailable')} data-testid="calc-unavailable" />
      </Card>
    );
  return (
    <Row gutter={[24, 24]}>
      {/* on a phone a chosen calculator comes first, the list of the others below it */}
      <Col xs={{ span: 24, order: id ? 2 : 1 }} md={{ span: 8, order: 1 }}>
        <Card
          title={
            // the page's one h1 (the chosen calculator's name is an h2 beside it)
            <h1 className="zx-card-h1">
              <CalculatorOutlined /> {t('calc.title')}
            </h1>
          }
          size="small"
        >
          <Typography.Paragraph type="secondary">{t('calc.intro')}</Typography.Paragraph>
          <ErrorAlert error={error} />
          <List
            dataSource={list}
            locale={{ emptyText: <Empty description={t('calc.none')} /> }}
            renderItem={(r) => <RuleSetLink info={r} isActive={r.id === id} />}
          />
        </Card>
      </Col>
      <Col xs={{ span: 24, order: id ? 1 : 2 }} md={{ span: 16, order: 2 }}>
        {id ? (
          <Interview key={id} ruleSetId={id} info={list.find((r) => r.id === id)} date={date} onDate={setDate} />
        ) : (
          <Card>
            <Empty image={<CalculatorOutlined style={{ fontSize: 56, color: '#1456b8' }} />} description={t('calc.intro')} />
          </Card>
        )}
      </Col>
    </Row>
  );
}

function RuleSetLink({ info, isActive }: { info: RuleSetInfo; isActive: boolean }) {
  const { lang } = useI18n();
  return (
    <List.Item style={{ paddingInline: 8, background: isActive ? '#eef4ff' : undefined, borderRadius: 6 }}>
      <List.Item.Meta
        title={<Link to={`/calculators/${encodeURIComponent(info.id)}`} data-testid={`calc-${info.id}`}>{pickText(info.name ?? info.title ?? info.id, lang)}</Link>}
        description={info.description ? <Typography.Paragraph type="secondary" style={{ margin: 0 }} ellipsis={{ rows: 2 }}>{pickText(info.description, lang)}</Typography.Paragraph> : undefined}
      />
    </List.Item>
  );
}

interface Answered {
  question: InterviewQuestion;
  value: unknown;
  /** answered 不知道: sent as `unknown`, never asked again */
  isUnknown?: boolean;
}

type Finished = Extract<DetermineResult, { status: 'complete' | 'conditional' }>;

function Interview({ ruleSetId, info, date, onDate }: { ruleSetId: string; info?: RuleSetInfo; date?: string; onDate: (d?: string) => void }) {
  const { t, lang } = useI18n();
  const [answered, setAnswered] = useState<Answered[]>([]);
  /** Answers taken back with 上一步/修改, offered again when their question comes back. */
  const [remembered, setRemembered] = useState<Record<string, unknown>>({});
  const [current, setCurrent] = useState<InterviewQuestion | null>(null);
  const [result, setResult] = useState<Finished | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const [isUnavailable, setUnavailable] = useState(false);

  async function determine(list: Answered[]) {
    setBusy(true);
    setError(null);
    try {
      const inputs = Object.fromEntries(list.filter((a) => !a.isUnknown).map((a) => [a.question.id, a.value]));
      const unknown = list.filter((a) => a.isUnknown).map((a) => a.question.id);
      const res = await rules.determine(ruleSetId, inputs, lang, unknown, date);
      setAnswered(list);
      if (res.status === 'need_input') {
        setCurrent(res.question);
        setResult(null);
      } else {
        setCurrent(null);
        setResult(res);
      }
    } catch (err) {
      if (isNotAvailable(err)) setUnavailable(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  // Start, and work out again in the new language or for the new policy date (answers are kept).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs only when the rule set, language or date changes; each answer calls determine itself
  useEffect(() => {
    void determine(answered);
  }, [ruleSetId, lang, date]);

  /** Takes back the answers from index i on; question i is asked again with its old value. */
  function reopen(i: number) {
    const taken = answered.slice(i);
    setRemembered((r) => ({ ...r, ...Object.fromEntries(taken.filter((a) => !a.isUnknown).map((a) => [a.question.id, a.value])) }));
    setAnswered(answered.slice(0, i));
    setCurrent(taken[0].question);
    setResult(null);
    setError(null);
  }

  const title = pickText(info?.name ?? info?.title ?? ruleSetId, lang);
  const policyDateId = useId();
  if (isUnavailable)
    return (
      <Card title={title}>
        <Result status="info" subTitle={t('calc.unavailable')} data-testid="calc-unavailable" />
      </Card>
    );

  return (
    <Card
      title={<h2 className="zx-card-h2">{title}</h2>}
      extra={<Button icon={<ReloadOutlined />} onClick={() => { setRemembered({}); void determine([]); }} data-testid="calc-restart">{t('calc.restart')}</Button>}
      data-testid="calc-interview"
    >
      {info?.legalBasis && <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('calc.basis')}{t('common.colon')}{info.legalBasis}</Typography.Paragraph>}
      {/* most citizens want today's rules: the policy date waits in a fold (open when a link set one) */}
      <Collapse
        ghost
        size="small"
        style={{ marginBottom: 12 }}
        defaultActiveKey={date ? ['advanced'] : []}
        items={[
          {
            key: 'advanced',
            label: t('calc.advanced'),
            children: (
              <Space orientation="vertical" size={4}>
                <label htmlFor={policyDateId} style={{ fontSize: 13 }}>{t('calc.policyDate')}</label>
                <DatePicker
                  id={policyDateId}
                  size="small"
                  format="YYYY-MM-DD"
                  value={date ? dayjs(date) : null}
                  placeholder={t('calc.datePlaceholder')}
                  onChange={(d) => onDate(d ? d.format('YYYY-MM-DD') : undefined)}
                  data-testid="calc-date"
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('calc.policyDateHint')}</Typography.Text>
              </Space>
            ),
          },
        ]}
      />
      {answered.length > 0 && (
        <Steps
          orientation="vertical"
          size="small"
          current={answered.length}
          style={{ marginBottom: 16 }}
          items={answered.map((a, i) => ({
            title: questionText(a.question, lang),
            description: (
              <Space>
                <Typography.Text strong>{a.isUnknown ? t('calc.unknownAnswer') : displayValue(a.question, a.value, lang, t)}</Typography.Text>
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => reopen(i)} data-testid={`calc-change-${a.question.id}`}>
                  {t('calc.change')}
                </Button>
              </Space>
            ),
          }))}
        />
      )}
      <ErrorAlert error={error} />
      {current && (
        <QuestionForm
          key={`${current.id}-${answered.length}`}
          question={current}
          step={answered.length + 1}
          initial={remembered[current.id]}
          isBusy={isBusy}
          onBack={answered.length > 0 ? () => reopen(answered.length - 1) : undefined}
          onAnswer={(value) => determine([...answered, { question: current, value }])}
          onUnknown={() => determine([...answered, { question: current, value: null, isUnknown: true }])}
        />
      )}
      {/* one live region, present before the result arrives, so screen readers announce it */}
      <div aria-live="polite">{result && <ResultView result={result} outputs={info?.outputs ?? []} />}</div>
      {!current && !result && isBusy && <PageSpin />}
    </Card>
  );
}

const questionText = (q: InterviewQuestion, lang: Lang) => pickText(q.text ?? q.question ?? q.label ?? q.id, lang);

function optionsOf(q: InterviewQuestion, lang: Lang) {
  return (q.options ?? []).map((o) =>
    typeof o === 'string' ? { value: o, label: o } : { value: String(o.id ?? o.value ?? ''), label: pickText(o.label ?? o.id ?? o.value, lang) },
  );
}

function displayValue(q: InterviewQuestion, value: unknown, lang: Lang, t: Translate) {
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  const option = optionsOf(q, lang).find((o) => o.value === value);
  if (option) return option.label;
  return `${String(value)}${q.unit ? ` ${pickText(q.unit, lang)}` : ''}`;
}

function QuestionForm({ question, step, initial, isBusy, onAnswer, onBack, onUnknown }: {
  question: InterviewQuestion;
  step: number;
  initial: unknown;
  isBusy: boolean;
  onAnswer: (v: unknown) => void;
  onBack?: () => void;
  onUnknown: () => void;
}) {
  const { t, lang } = useI18n();
  const [value, setValue] = useState<unknown>(initial);
  const [isMissing, setMissing] = useState(false);
  const type = question.type.replace(/\(.*\)$/, ''); // "decimal(2)" → "decimal"
  const isChoice = type === 'enum' || type === 'boolean' || (question.options?.length ?? 0) > 0;
  const unit = question.unit ? pickText(question.unit, lang) : undefined;
  const isNumber = ['integer', 'decimal', 'money', 'number'].includes(type);
  const titleId = useId();
  const controlId = useId();

  function submit() {
    if (value === undefined || value === null || value === '') return setMissing(true);
    onAnswer(value);
  }

  let control: ReactNode;
  if (type === 'enum' || (question.options && question.options.length > 0)) {
    control = (
      <Radio.Group value={value} onChange={(e) => setValue(e.target.value)} aria-labelledby={titleId} data-testid="calc-answer">
        <Space orientation="vertical">
          {optionsOf(question, lang).map((o) => (
            <Radio key={o.value} value={o.value}>
              {o.label}
            </Radio>
          ))}
        </Space>
      </Radio.Group>
    );
  } else if (type === 'boolean') {
    control = (
      <Radio.Group value={value} onChange={(e) => setValue(e.target.value)} optionType="button" buttonStyle="solid" aria-labelledby={titleId} data-testid="calc-answer">
        <Radio value={true}>{t('common.yes')}</Radio>
        <Radio value={false}>{t('common.no')}</Radio>
      </Radio.Group>
    );
  } else if (isNumber) {
    control = (
      <InputNumber<string>
        style={{ width: 260 }}
        value={value === undefined || value === null ? undefined : String(value)}
        min={question.min !== undefined ? String(question.min) : undefined}
        max={question.max !== undefined ? String(question.max) : undefined}
        // typed as a string so the field shows exactly what was typed; the API takes JSON numbers
        // (at most 2 decimals, which the engine reads exactly)
        stringMode
        suffix={unit}
        onChange={(v) => setValue(v === null || v === '' ? undefined : Number(v))}
        onPressEnter={submit}
        autoFocus
        id={controlId}
        data-testid="calc-answer"
      />
    );
  } else if (type === 'yearMonth') {
    control = (
      <DatePicker
        picker="month"
        id={controlId}
        format="YYYY-MM"
        placeholder={t('calc.monthPlaceholder')}
        value={typeof value === 'string' && value ? dayjs(`${value}-01`) : null}
        // opens near a plausible month, not at this year: people asking are mostly born in the 1960s–80s
        defaultPickerValue={pickerStart(question)}
        onChange={(d) => setValue(d ? d.format('YYYY-MM') : undefined)}
        autoFocus
        data-testid="calc-answer"
      />
    );
  } else {
    control = <Input id={controlId} style={{ maxWidth: 360 }} value={(value as string) ?? ''} onChange={(e) => setValue(e.target.value)} onPressEnter={submit} suffix={unit} data-testid="calc-answer" />;
  }

  return (
    <div style={{ background: '#f7f9fc', border: '1px solid #e8ecf3', borderRadius: 10, padding: 20 }} data-testid="calc-question" data-question={question.id}>
      <Typography.Text type="secondary">{t('calc.step', { n: step })}</Typography.Text>
      <Typography.Title level={4} style={{ marginTop: 4 }} id={titleId}>
        {/* the question is the visible label of its control (a radio group names itself by the heading) */}
        {isChoice ? questionText(question, lang) : <label htmlFor={controlId}>{questionText(question, lang)}</label>}
        {question.why && (
          <Tooltip title={question.why}>
            {/* a button, so the reason is reachable with Tab as well as the mouse */}
            <Button type="text" size="small" icon={<QuestionCircleOutlined style={{ fontSize: 16, color: '#8c99ad' }} />} aria-label={t('calc.why')} style={{ marginInlineStart: 4 }} />
          </Tooltip>
        )}
      </Typography.Title>
      <div style={{ margin: '16px 0' }}>{control}</div>
      {isMissing && <Alert type="warning" showIcon title={t('calc.required')} style={{ marginBottom: 12 }} />}
      <Space wrap>
        {onBack && (
          <Button icon={<LeftOutlined />} onClick={onBack} data-testid="calc-prev">
            {t('calc.prev')}
          </Button>
        )}
        <Button type="primary" onClick={submit} loading={isBusy} data-testid="calc-next">
          {t('calc.next')}
        </Button>
        <Button type="link" onClick={onUnknown} disabled={isBusy} data-testid="calc-unknown">
          {t('calc.dontKnow')}
        </Button>
      </Space>
    </div>
  );
}

/** Where a month picker opens: a birth month around 1965 (the cohorts the retirement rules concern), not this year. */
function pickerStart(q: InterviewQuestion) {
  return /birth/i.test(q.id) ? dayjs('1965-01-01') : undefined;
}

function renderValue(v: unknown, def: RuleSetOutputDef | undefined, lang: Lang, t: Translate): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) return v.length ? v.map((x) => renderValue(x, def, lang, t)).join('；') : '—';
  if (typeof v === 'string' && def?.codes?.[v]) return pickText(def.codes[v], lang);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('zh' in o || 'en' in o) return pickText(o, lang);
    return JSON.stringify(v);
  }
  const unit = def?.unit ? ` ${pickText(def.unit, lang)}` : '';
  return `${String(v)}${unit}`;
}

function traceOf(explanation: unknown): TraceEntry[] {
  if (!explanation) return [];
  if (typeof explanation === 'string') return explanation.split('\n').filter(Boolean).map((why) => ({ why }));
  if (Array.isArray(explanation)) return explanation.map((e) => (typeof e === 'string' ? { why: e } : (e as TraceEntry)));
  return [explanation as TraceEntry];
}

function ResultView({ result, outputs }: { result: Finished; outputs: RuleSetOutputDef[] }) {
  const { t, lang } = useI18n();
  const headingId = useId();
  const defs = new Map(outputs.map((o) => [o.id, o]));
  // a step whose values were not all determined has nothing to tell the citizen (empty why)
  const trace = traceOf(result.explanation);
  const reasons = trace.filter((e) => e.why && pickText(e.why, lang));
  return (
    <section aria-labelledby={headingId} data-testid="calc-result">
      <Typography.Title level={4} id={headingId}>{t('calc.result')}</Typography.Title>
      {result.headline && (
        <Typography.Paragraph strong style={{ fontSize: 20, lineHeight: 1.5, color: '#0b3d91', background: '#eef4ff', borderRadius: 8, padding: '12px 16px' }} data-testid="calc-headline">
          {result.headline}
        </Typography.Paragraph>
      )}
      {result.status === 'conditional' && <Alert type="info" showIcon title={t('calc.conditional')} style={{ marginBottom: 12 }} />}
      {result.suggestions && result.suggestions.length > 0 && (
        <Alert type="success" style={{ marginBottom: 16 }} title={t('calc.suggestions')} description={<ul style={{ margin: 0, paddingLeft: 18 }}>{/* biome-ignore lint/suspicious/noArrayIndexKey: the result's list, shown as served, never reordered */}{result.suggestions.map((s, i) => <li key={i}>{s.text}</li>)}</ul>} />
      )}
      {reasons.length > 0 && (
        <>
          <Typography.Title level={5}>{t('calc.explanation')}</Typography.Title>
          <ol style={{ paddingLeft: 20 }} data-testid="calc-explanation">
            {reasons.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the result's list, shown as served, never reordered
              <li key={i} style={{ marginBottom: 10 }}>
                {e.title && <Typography.Text strong>{pickText(e.title, lang)}：</Typography.Text>}
                <Typography.Text>{pickText(e.why, lang)}</Typography.Text>
                {e.citation && (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('calc.basis')}：{e.citation}
                    </Typography.Text>
                  </div>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      {/* the technical rows and the derivation, for whoever wants to check the figures */}
      <Collapse
        size="small"
        items={[
          {
            key: 'data',
            label: t('calc.data'),
            children: (
              <Descriptions
                bordered
                column={1}
                size="small"
                styles={{ label: { width: 220 } }}
                items={Object.entries(result.outputs ?? {}).map(([k, v]) => ({
                  key: k,
                  label: defs.get(k) ? pickText(defs.get(k)!.label, lang) : k,
                  children: <Typography.Text strong>{renderValue(v, defs.get(k), lang, t)}</Typography.Text>,
                }))}
                data-testid="calc-outputs"
              />
            ),
          },
          ...(trace.some((e) => e.how)
            ? [{ key: 'how', label: t('calc.details'), children: <ol style={{ paddingLeft: 20, margin: 0 }}>{/* biome-ignore lint/suspicious/noArrayIndexKey: the result's list, shown as served, never reordered */}{trace.filter((e) => e.how).map((e, i) => <li key={i} style={{ whiteSpace: 'pre-wrap' }}>{pickText(e.how, lang)}</li>)}</ol> }]
            : []),
        ]}
      />
      {result.notes && result.notes.length > 0 && (
        <Alert type="warning" style={{ marginTop: 16 }} title={t('calc.notes')} description={<ul style={{ margin: 0, paddingLeft: 18 }}>{/* biome-ignore lint/suspicious/noArrayIndexKey: the result's list, shown as served, never reordered */}{result.notes.map((n, i) => <li key={i}>{n}</li>)}</ul>} />
      )}
      {result.date && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }} data-testid="calc-result-date">
          {t('calc.resultDate', { d: result.date })}
        </Typography.Paragraph>
      )}
    </section>
  );
}
