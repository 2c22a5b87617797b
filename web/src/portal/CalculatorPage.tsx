import { CalculatorOutlined, EditOutlined, LeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Descriptions, Empty, Input, InputNumber, List, Radio, Result, Row, Space, Steps, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { rules } from '../api/endpoints';
import type { DetermineResult, InterviewQuestion, RuleSetInfo } from '../api/types';
import { pickText, useI18n, type Lang } from '../i18n';
import { ErrorAlert, isNotAvailable, PageSpin, useLoad } from '../shell/common';

/**
 * 政策计算器: pick a rule set, then an interview — one question at a time, back and change
 * answers, and the result with its explanation. The rules module is built in parallel; a 404
 * from its API shows a friendly notice.
 */
export function CalculatorPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { data, error, isLoading } = useLoad(() => rules.list(), []);
  const list: RuleSetInfo[] = Array.isArray(data) ? data : (data?.items ?? []);

  if (isLoading) return <PageSpin />;
  if (isNotAvailable(error))
    return (
      <Card title={<Space><CalculatorOutlined />{t('calc.title')}</Space>}>
        <Result status="info" title={t('calc.title')} subTitle={t('calc.unavailable')} data-testid="calc-unavailable" />
      </Card>
    );
  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} md={8}>
        <Card title={<Space><CalculatorOutlined />{t('calc.title')}</Space>} size="small">
          <Typography.Paragraph type="secondary">{t('calc.intro')}</Typography.Paragraph>
          <ErrorAlert error={error} />
          <List
            dataSource={list}
            locale={{ emptyText: <Empty description={t('calc.none')} /> }}
            renderItem={(r) => <RuleSetLink info={r} isActive={r.id === id} />}
          />
        </Card>
      </Col>
      <Col xs={24} md={16}>
        {id ? <Interview key={id} ruleSetId={id} info={list.find((r) => r.id === id)} /> : (
          <Card>
            <Empty description={t('calc.intro')} />
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
        description={info.description ? <Typography.Text type="secondary" ellipsis>{pickText(info.description, lang)}</Typography.Text> : undefined}
      />
    </List.Item>
  );
}

interface Answered {
  question: InterviewQuestion;
  value: unknown;
}

function Interview({ ruleSetId, info }: { ruleSetId: string; info?: RuleSetInfo }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [answered, setAnswered] = useState<Answered[]>([]);
  /** Answers taken back with 上一步/修改, offered again when their question comes back. */
  const [remembered, setRemembered] = useState<Record<string, unknown>>({});
  const [current, setCurrent] = useState<InterviewQuestion | null>(null);
  const [result, setResult] = useState<Extract<DetermineResult, { status: 'complete' }> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const [isUnavailable, setUnavailable] = useState(false);

  async function determine(list: Answered[]) {
    setBusy(true);
    setError(null);
    try {
      const inputs = Object.fromEntries(list.map((a) => [a.question.id, a.value]));
      const res = await rules.determine(ruleSetId, inputs);
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

  useEffect(() => {
    void determine([]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ruleSetId]);

  /** Takes back the answers from index i on; question i is asked again with its old value. */
  function reopen(i: number) {
    const taken = answered.slice(i);
    setRemembered((r) => ({ ...r, ...Object.fromEntries(taken.map((a) => [a.question.id, a.value])) }));
    setAnswered(answered.slice(0, i));
    setCurrent(taken[0].question);
    setResult(null);
  }

  const title = pickText(info?.name ?? info?.title ?? ruleSetId, lang);
  if (isUnavailable) return <Card title={title}><Result status="info" subTitle={t('calc.unavailable')} data-testid="calc-unavailable" /></Card>;

  return (
    <Card title={title} extra={<Button icon={<ReloadOutlined />} onClick={() => { setRemembered({}); void determine([]); }}>{t('calc.restart')}</Button>} data-testid="calc-interview">
      <ErrorAlert error={error} />
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
                <Typography.Text strong>{displayValue(a.question, a.value, lang, t)}</Typography.Text>
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => reopen(i)} data-testid={`calc-change-${a.question.id}`}>
                  {t('calc.change')}
                </Button>
              </Space>
            ),
          }))}
        />
      )}
      {current && (
        <QuestionForm
          key={`${current.id}-${answered.length}`}
          question={current}
          step={answered.length + 1}
          initial={remembered[current.id]}
          isBusy={isBusy}
          onBack={answered.length > 0 ? () => reopen(answered.length - 1) : undefined}
          onAnswer={(value) => determine([...answered, { question: current, value }])}
        />
      )}
      {result && <ResultView result={result} />}
      {!current && !result && isBusy && <PageSpin />}
      {!current && !result && !isBusy && !error && <Button onClick={() => navigate('/calculators')}>{t('common.back')}</Button>}
    </Card>
  );
}

const questionText = (q: InterviewQuestion, lang: Lang) => pickText(q.text ?? q.question ?? q.label ?? q.id, lang);

function optionsOf(q: InterviewQuestion, lang: Lang) {
  return (q.options ?? []).map((o) =>
    typeof o === 'string' ? { value: o, label: o } : { value: String(o.id ?? o.value ?? ''), label: pickText(o.label ?? o.id ?? o.value, lang) },
  );
}

function displayValue(q: InterviewQuestion, value: unknown, lang: Lang, t: (k: any) => string) {
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  const option = optionsOf(q, lang).find((o) => o.value === value);
  if (option) return option.label;
  return `${String(value)}${q.unit ? ` ${pickText(q.unit, lang)}` : ''}`;
}

function QuestionForm({ question, step, initial, isBusy, onAnswer, onBack }: { question: InterviewQuestion; step: number; initial: unknown; isBusy: boolean; onAnswer: (v: unknown) => void; onBack?: () => void }) {
  const { t, lang } = useI18n();
  const [value, setValue] = useState<unknown>(initial);
  const [isMissing, setMissing] = useState(false);
  const type = question.type;
  const unit = question.unit ? pickText(question.unit, lang) : undefined;
  const isNumber = ['integer', 'decimal', 'money', 'number'].includes(type);

  function submit() {
    if (value === undefined || value === null || value === '') return setMissing(true);
    onAnswer(value);
  }

  let control;
  if (type === 'enum' || (question.options && question.options.length > 0)) {
    control = (
      <Radio.Group value={value} onChange={(e) => setValue(e.target.value)} data-testid="calc-answer">
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
      <Radio.Group value={value} onChange={(e) => setValue(e.target.value)} optionType="button" buttonStyle="solid" data-testid="calc-answer">
        <Radio value={true}>{t('common.yes')}</Radio>
        <Radio value={false}>{t('common.no')}</Radio>
      </Radio.Group>
    );
  } else if (isNumber) {
    control = (
      <InputNumber
        style={{ width: 240 }}
        value={value as number | undefined}
        min={typeof question.min === 'number' ? question.min : undefined}
        max={typeof question.max === 'number' ? question.max : undefined}
        precision={type === 'integer' ? 0 : type === 'money' ? 2 : undefined}
        // Money and decimals go to the server as strings so no binary rounding happens on the way.
        stringMode={type !== 'integer'}
        suffix={unit}
        onChange={(v) => setValue(v === null ? undefined : type === 'integer' ? Number(v) : String(v))}
        onPressEnter={submit}
        autoFocus
        data-testid="calc-answer"
      />
    );
  } else if (type === 'yearMonth') {
    control = (
      <DatePicker
        picker="month"
        value={typeof value === 'string' && value ? dayjs(`${value}-01`) : null}
        onChange={(d) => setValue(d ? d.format('YYYY-MM') : undefined)}
        data-testid="calc-answer"
      />
    );
  } else {
    control = <Input style={{ maxWidth: 360 }} value={(value as string) ?? ''} onChange={(e) => setValue(e.target.value)} onPressEnter={submit} suffix={unit} data-testid="calc-answer" />;
  }

  return (
    <div style={{ background: '#f7f9fc', border: '1px solid #e8ecf3', borderRadius: 10, padding: 20 }} data-testid="calc-question">
      <Typography.Text type="secondary">{t('calc.step', { n: step })}</Typography.Text>
      <Typography.Title level={4} style={{ marginTop: 4 }}>
        {questionText(question, lang)}
      </Typography.Title>
      <div style={{ margin: '16px 0' }}>{control}</div>
      {isMissing && <Alert type="warning" showIcon title={t('calc.required')} style={{ marginBottom: 12 }} />}
      <Space>
        {onBack && (
          <Button icon={<LeftOutlined />} onClick={onBack} data-testid="calc-prev">
            {t('calc.prev')}
          </Button>
        )}
        <Button type="primary" onClick={submit} loading={isBusy} data-testid="calc-next">
          {t('calc.next')}
        </Button>
      </Space>
    </div>
  );
}

function renderValue(v: unknown, lang: Lang, t: (k: any) => string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) return v.map((x) => renderValue(x, lang, t)).join('、');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('zh' in o || 'en' in o) return pickText(o, lang);
    if ('value' in o) return `${renderValue(o.value, lang, t)}${o.unit ? ` ${pickText(o.unit, lang)}` : ''}`;
    return JSON.stringify(v);
  }
  return String(v);
}

function explanationLines(explanation: unknown, lang: Lang): string[] {
  if (!explanation) return [];
  if (typeof explanation === 'string') return explanation.split('\n').filter(Boolean);
  if (Array.isArray(explanation)) return explanation.flatMap((e) => explanationLines(e, lang));
  if (typeof explanation === 'object') {
    const o = explanation as Record<string, unknown>;
    if ('zh' in o || 'en' in o) return [pickText(o, lang)];
    for (const key of ['text', 'message', 'description', 'summary']) if (o[key]) return explanationLines(o[key], lang);
    if (Array.isArray(o.steps)) return explanationLines(o.steps, lang);
    return [JSON.stringify(o)];
  }
  return [String(explanation)];
}

function ResultView({ result }: { result: Extract<DetermineResult, { status: 'complete' }> }) {
  const { t, lang } = useI18n();
  const labels = (result as { outputLabels?: Record<string, unknown> }).outputLabels ?? {};
  const lines = explanationLines(result.explanation, lang);
  return (
    <div data-testid="calc-result">
      <Typography.Title level={4}>{t('calc.result')}</Typography.Title>
      <Descriptions bordered column={1} size="small" items={Object.entries(result.outputs ?? {}).map(([k, v]) => ({ key: k, label: labels[k] ? pickText(labels[k], lang) : k, children: renderValue(v, lang, t) }))} />
      {lines.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('calc.explanation')}
          </Typography.Title>
          <ol style={{ paddingLeft: 20 }} data-testid="calc-explanation">
            {lines.map((l, i) => (
              <li key={i} style={{ marginBottom: 4 }}>
                {l}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
