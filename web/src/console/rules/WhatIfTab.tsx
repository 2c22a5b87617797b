import { DownloadOutlined, PlayCircleOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Col, DatePicker, Empty, Form, Input, InputNumber, Radio, Row, Select, Space, Statistic, Table, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { rules } from '../../api/endpoints';
import type { RuleSetDocument, WhatIfResult } from '../../api/types';
import { DATE_PICKER_FORMAT, useI18n } from '../../i18n';
import { ErrorAlert, useLoad } from '../../shell/common';
import { money, ParamName, todayYmd, useRuleSetDocuments, ValueView, ymd } from './shared';

const MAX_PEOPLE = 200_000;

/**
 * Population what-if (人群测算): one rule set over a generated population (contribution) or an
 * uploaded CSV, under the parameters in force (方案A) and with some changed (方案B); exact totals
 * of the chosen money outputs as a table and a bar chart.
 */
export function WhatIfTab() {
  const { t } = useI18n();
  const { docs, params: labels, error: docsError } = useRuleSetDocuments();
  const [ruleSetId, setRuleSetId] = useState('contribution');
  const [date, setDate] = useState(todayYmd());
  const doc = docs.find((d) => d.id === ruleSetId);
  const canGenerate = ruleSetId === 'contribution';
  const [source, setSource] = useState<'generate' | 'csv'>('generate');
  const [people, setPeople] = useState<number>(10_000);
  const [csv, setCsv] = useState('');
  const [scenario, setScenario] = useState<Record<string, number | null>>({});
  const [sum, setSum] = useState<string[]>([]);
  const [result, setResult] = useState<WhatIfResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const inForce = useLoad(() => rules.inForce(date), [date]);

  const moneyOutputs = (doc?.outputs ?? []).filter((o) => o.type === 'money');
  // biome-ignore lint/correctness/useExhaustiveDependencies: resets the form only when another rule set or version is shown; moneyOutputs is a new array every render
  useEffect(() => {
    // the totals (个人缴费合计, 单位缴费合计) when the rule set has them, else every money output
    const totals = moneyOutputs.filter((o) => /Total$/.test(o.id));
    setSum((totals.length ? totals : moneyOutputs).map((o) => o.id));
    setScenario({});
    setResult(null);
    setSource(ruleSetId === 'contribution' ? 'generate' : 'csv');
  }, [ruleSetId, doc?.version]);

  // Scalar parameters the rule set reads: 方案A is the value in force, 方案B may change it.
  const baseline = inForce.data?.values ?? {};
  const scalarParams = (doc?.parameters ?? []).filter((p) => typeof baseline[p.key] === 'number');
  const overrides = Object.fromEntries(scalarParams.filter((p) => scenario[p.key] != null && scenario[p.key] !== baseline[p.key]).map((p) => [p.key, scenario[p.key]]));

  async function run() {
    setBusy(true);
    setError(null);
    try {
      setResult(
        await rules.whatIf(ruleSetId, {
          date,
          overrides,
          sum,
          population: source === 'generate' && canGenerate ? { generate: people } : { csv },
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const template = doc ? `${doc.inputs.map((i) => i.id).join(',')}\n` : '';
  const ready = sum.length > 0 && (source === 'generate' ? canGenerate && people > 0 : csv.trim().length > 0);
  return (
    <div data-testid="rules-whatif">
      <Typography.Paragraph type="secondary">{t('rules.whatIfHint')}</Typography.Paragraph>
      <ErrorAlert error={docsError} />
      <Form layout="vertical">
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Form.Item label={t('rules.ruleSet')}>
              <Select value={ruleSetId} onChange={setRuleSetId} options={docs.map((d) => ({ value: d.id, label: d.name }))} data-testid="whatif-ruleset" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item label={t('rules.policyDate')}>
              <DatePicker format={DATE_PICKER_FORMAT} value={dayjs(date)} onChange={(d) => d && setDate(ymd(d))} allowClear={false} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('rules.population')}>
          <Radio.Group value={source} onChange={(e) => setSource(e.target.value)}>
            <Radio value="generate" disabled={!canGenerate}>{t('rules.generated')}</Radio>
            <Radio value="csv">{t('rules.csv')}</Radio>
          </Radio.Group>
          {source === 'generate' ? (
            <div style={{ marginTop: 8 }}>
              <Space>
                <InputNumber min={1} max={MAX_PEOPLE} step={1000} value={people} onChange={(v) => setPeople(Number(v ?? 0))} style={{ width: 160 }} data-testid="whatif-people" />
                <Typography.Text type="secondary">{t('rules.generatedHint', { max: MAX_PEOPLE.toLocaleString() })}</Typography.Text>
              </Space>
            </div>
          ) : (
            <div style={{ marginTop: 8 }}>
              <Space style={{ marginBottom: 8 }} wrap>
                <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(f) => { void f.text().then(setCsv); return false; }}>
                  <Button icon={<UploadOutlined />}>{t('rules.chooseCsv')}</Button>
                </Upload>
                <Button icon={<DownloadOutlined />} href={`data:text/csv;charset=utf-8,${encodeURIComponent(template)}`} download={`${ruleSetId}-population.csv`}>
                  {t('rules.csvTemplate')}
                </Button>
                <Typography.Text type="secondary">{t('rules.csvHint')} <code>{template.trim()}</code></Typography.Text>
              </Space>
              <Input.TextArea rows={5} value={csv} onChange={(e) => setCsv(e.target.value)} placeholder={template} style={{ fontFamily: 'monospace' }} data-testid="whatif-csv" />
            </div>
          )}
        </Form.Item>
      </Form>

      <Typography.Title level={5}>{t('rules.variants')}</Typography.Title>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        loading={inForce.isLoading}
        dataSource={scalarParams}
        locale={{ emptyText: <Empty description={t('rules.noScalarParams')} /> }}
        data-testid="whatif-params"
        columns={[
          { title: t('rules.parameter'), render: (_, p) => <ParamName k={p.key} info={labels.get(p.key)} /> },
          { title: t('rules.variantA', { d: date }), width: 200, render: (_, p) => <ValueView value={baseline[p.key]} /> },
          {
            title: t('rules.variantB'),
            width: 200,
            render: (_, p) => (
              <InputNumber
                style={{ width: 160 }}
                min={0}
                value={scenario[p.key] ?? (baseline[p.key] as number)}
                onChange={(v) => setScenario((s) => ({ ...s, [p.key]: v === null ? null : Number(v) }))}
                className={p.key in overrides ? 'zx-changed' : undefined}
                data-testid={`whatif-param-${p.key}`}
              />
            ),
          },
        ]}
      />
      <Space style={{ margin: '16px 0' }} wrap align="center">
        <Typography.Text>{t('rules.sumOutputs')}{t('common.colon')}</Typography.Text>
        <Checkbox.Group value={sum} onChange={(v) => setSum(v as string[])} options={moneyOutputs.map((o) => ({ value: o.id, label: o.label }))} />
      </Space>
      <div>
        <Button type="primary" icon={<PlayCircleOutlined />} onClick={run} loading={isBusy} disabled={!ready} data-testid="whatif-run">
          {t('rules.runWhatIf')}
        </Button>
        {Object.keys(overrides).length === 0 && <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>{t('rules.noOverrides')}</Typography.Text>}
      </div>
      <ErrorAlert error={error} style={{ marginTop: 16 }} />
      {result && doc && <WhatIfResultView result={result} doc={doc} />}
    </div>
  );
}

function WhatIfResultView({ result, doc }: { result: WhatIfResult; doc: RuleSetDocument }) {
  const { t } = useI18n();
  const label = (id: string) => doc.outputs.find((o) => o.id === id)?.label ?? id;
  const rows = Object.keys(result.baseline.totals).map((id) => {
    const a = result.baseline.totals[id];
    const b = result.scenario.totals[id];
    const d = result.difference[id];
    return { id, label: label(id), a, b, d, pct: a ? (d / a) * 100 : null };
  });
  return (
    <div style={{ marginTop: 24 }} data-testid="whatif-result">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}><Statistic title={t('rules.people')} value={result.people} /></Col>
        <Col xs={12} md={6}><Statistic title={t('rules.complete')} value={result.baseline.complete} suffix={result.scenario.complete !== result.baseline.complete ? `/ ${result.scenario.complete}` : undefined} /></Col>
        <Col xs={12} md={6}><Statistic title={t('rules.invalidRows')} value={result.invalid.length} valueStyle={result.invalid.length ? { color: '#cf1322' } : undefined} /></Col>
        <Col xs={12} md={6}><Statistic title={t('rules.elapsed')} value={result.ms} suffix="ms" /></Col>
      </Row>
      <Row gutter={[24, 24]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={13}>
          <Table
            size="middle"
            rowKey="id"
            pagination={false}
            dataSource={rows}
            data-testid="whatif-totals"
            columns={[
              { title: t('rules.output'), dataIndex: 'label' },
              { title: t('rules.totalA'), dataIndex: 'a', align: 'right', render: (v: number) => money(v) },
              { title: t('rules.totalB'), dataIndex: 'b', align: 'right', render: (v: number) => money(v) },
              {
                title: t('rules.difference'),
                dataIndex: 'd',
                align: 'right',
                render: (v: number, r) => (
                  <span style={{ color: v > 0 ? '#cf1322' : v < 0 ? '#389e0d' : undefined, fontWeight: 600 }}>
                    {v > 0 ? '+' : ''}
                    {money(v)}
                    {r.pct !== null && <div style={{ fontSize: 12, fontWeight: 400 }}>{r.pct > 0 ? '+' : ''}{r.pct.toFixed(2)}%</div>}
                  </span>
                ),
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            {t('rules.whatIfNote', { v: result.parameterVersions.join(', ') })}
          </Typography.Paragraph>
        </Col>
        <Col xs={24} xl={11}>
          <BarChart rows={rows} />
        </Col>
      </Row>
      {result.invalid.length > 0 && (
        <>
          <Alert type="warning" showIcon title={t('rules.invalidTitle', { n: result.invalid.length })} style={{ marginTop: 16 }} />
          <Table size="small" rowKey={(r) => `${r.row}-${r.field}`} dataSource={result.invalid} pagination={{ pageSize: 10, hideOnSinglePage: true }} columns={[{ title: t('tr.row'), dataIndex: 'row', width: 80 }, { title: t('tr.field'), dataIndex: 'field', width: 160 }, { title: t('tr.message'), dataIndex: 'message' }]} />
        </>
      )}
    </div>
  );
}

/** Grouped bars: 方案A and 方案B per output, drawn as SVG. */
function BarChart({ rows }: { rows: { id: string; label: string; a: number; b: number }[] }) {
  const { t, lang } = useI18n();
  const max = Math.max(1, ...rows.flatMap((r) => [r.a, r.b]));
  const width = 520;
  const barH = 18;
  const gap = 30;
  const left = 150;
  const right = 100;
  const height = rows.length * (barH * 2 + gap) + 30;
  const scale = (v: number) => (Math.max(0, v) / max) * (width - left - right);
  const ticks = useMemo(() => [0, 0.25, 0.5, 0.75, 1].map((f) => f * max), [max]);
  return (
    <figure style={{ margin: 0 }} data-testid="whatif-chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t('rules.chart')}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={left + scale(v)} x2={left + scale(v)} y1={0} y2={height - 24} stroke="#eef1f6" />
            <text x={left + scale(v)} y={height - 8} fontSize={10} fill="#8c99ad" textAnchor="middle">{compact(v, lang)}</text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = i * (barH * 2 + gap) + 6;
          return (
            <g key={r.id}>
              <text x={left - 8} y={y + barH + 4} fontSize={12} fill="#1f2d3d" textAnchor="end">{r.label.length > 9 ? `${r.label.slice(0, 8)}…` : r.label}</text>
              <rect x={left} y={y} width={scale(r.a)} height={barH} fill="#8fb3e8" rx={3}><title>{`A ${money(r.a)}`}</title></rect>
              <text x={left + scale(r.a) + 6} y={y + barH - 5} fontSize={11} fill="#4b5b72">{money(r.a)}</text>
              <rect x={left} y={y + barH + 2} width={scale(r.b)} height={barH} fill="#1456b8" rx={3}><title>{`B ${money(r.b)}`}</title></rect>
              <text x={left + scale(r.b) + 6} y={y + barH * 2 - 3} fontSize={11} fill="#1456b8" fontWeight={600}>{money(r.b)}</text>
            </g>
          );
        })}
      </svg>
      <figcaption style={{ fontSize: 12, color: '#4b5b72' }}>
        <span style={{ display: 'inline-block', width: 10, height: 10, background: '#8fb3e8', marginInlineEnd: 4 }} />
        {t('rules.variantAShort')}
        <span style={{ display: 'inline-block', width: 10, height: 10, background: '#1456b8', margin: '0 4px 0 16px' }} />
        {t('rules.variantB')}
      </figcaption>
    </figure>
  );
}

function compact(v: number, lang: string) {
  if (lang === 'en') return v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(0)}k` : String(Math.round(v));
  if (v >= 1e8) return `${(v / 1e8).toFixed(1)}亿`;
  if (v >= 1e4) return `${(v / 1e4).toFixed(v >= 1e6 ? 0 : 1)}万`;
  return String(Math.round(v));
}
