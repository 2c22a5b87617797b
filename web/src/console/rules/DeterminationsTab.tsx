import { CheckCircleOutlined, CloseCircleOutlined, ReloadOutlined, RetweetOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Descriptions, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { rules } from '../../api/endpoints';
import type { Determination, ReplayResult } from '../../api/types';
import { formatDateTime, useI18n, type MessageKey } from '../../i18n';
import { ErrorAlert, useLoad } from '../../shell/common';
import { useRuleSetDocuments, ValueView } from './shared';

const STATUS_COLOR: Record<string, string> = { complete: 'green', conditional: 'gold', need_input: 'default' };

/** The determinations log: what was computed, with which version and parameter values; replay one. */
export function DeterminationsTab() {
  const { t, lang } = useI18n();
  const { docs } = useRuleSetDocuments();
  const [ruleset, setRuleset] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const { data, error, isLoading, reload } = useLoad(() => rules.determinations({ ruleset, page, pageSize: 20 }), [ruleset, page]);
  const [replays, setReplays] = useState<Record<string, ReplayResult | { error: unknown }>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const nameOf = (id: string) => docs.find((d) => d.id === id)?.name ?? id;
  const outputLabel = (rs: string, id: string) => docs.find((d) => d.id === rs)?.outputs.find((o) => o.id === id)?.label ?? id;

  async function replay(id: string) {
    setBusy(id);
    setExpanded((e) => (e.includes(id) ? e : [...e, id]));
    try {
      const r = await rules.replay(id);
      setReplays((x) => ({ ...x, [id]: r }));
    } catch (err) {
      setReplays((x) => ({ ...x, [id]: { error: err } }));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div data-testid="rules-log">
      <Space style={{ marginBottom: 16 }} wrap>
        <Select
          allowClear
          style={{ minWidth: 220 }}
          placeholder={t('rules.allRuleSets')}
          value={ruleset}
          onChange={(v) => { setRuleset(v); setPage(1); }}
          options={docs.map((d) => ({ value: d.id, label: d.name }))}
        />
        <Button icon={<ReloadOutlined />} onClick={reload}>{t('common.refresh')}</Button>
        <Typography.Text type="secondary">{t('rules.logHint')}</Typography.Text>
      </Space>
      <ErrorAlert error={error} />
      <Table<Determination>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        expandable={{
          expandedRowRender: (d) => <DeterminationDetail d={d} replay={replays[d.id]} outputLabel={(id) => outputLabel(d.ruleSet.id, id)} />,
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys as string[]),
        }}
        columns={[
          { title: t('rules.at'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v, lang) },
          { title: t('rules.ruleSet'), width: 200, render: (_, d) => <Space orientation="vertical" size={0}><span>{nameOf(d.ruleSet.id)}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.ruleSet.id}@{d.ruleSet.version}</Typography.Text></Space> },
          { title: t('rules.policyDate'), dataIndex: 'date', width: 110 },
          { title: t('rules.status'), dataIndex: 'status', width: 170, render: (s: string, d) => <Space orientation="vertical" size={0}><Tag color={STATUS_COLOR[s]}>{STATUS_COLOR[s] ? t(`rules.status.${s}` as MessageKey) : s}</Tag>{d.questionId && <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: d.questionId }}>→ {d.questionId}</Typography.Text>}</Space> },
          {
            title: t('rules.outputsShort'),
            render: (_, d) => (
              <span style={{ fontSize: 12 }}>
                {Object.entries(d.outputs)
                  .filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0))
                  .slice(0, 4)
                  .map(([k, v]) => (
                    <span key={k} style={{ display: 'inline-block', marginInlineEnd: 10 }}>
                      <Typography.Text type="secondary">{outputLabel(d.ruleSet.id, k)}{t('common.colon')}</Typography.Text>
                      <ValueView value={v} />
                    </span>
                  ))}
              </span>
            ),
          },
          { title: t('rules.actor'), dataIndex: 'actor', width: 130, ellipsis: true },
          {
            title: t('common.actions'),
            width: 100,
            render: (_, d) => (
              <Button size="small" icon={<RetweetOutlined />} loading={busy === d.id} onClick={() => replay(d.id)} data-testid={`replay-${d.id}`}>
                {t('rules.replay')}
              </Button>
            ),
          },
        ]}
      />
    </div>
  );
}

function DeterminationDetail({ d, replay, outputLabel }: { d: Determination; replay?: ReplayResult | { error: unknown }; outputLabel: (id: string) => string }) {
  const { t } = useI18n();
  return (
    <div style={{ padding: '4px 8px' }} data-testid={`determination-${d.id}`}>
      {replay && 'error' in replay && <ErrorAlert error={replay.error} />}
      {replay && 'matches' in replay && (
        <Alert
          type={replay.matches ? 'success' : 'error'}
          icon={replay.matches ? <CheckCircleOutlined /> : <CloseCircleOutlined />}
          showIcon
          title={replay.matches ? t('rules.replayMatches') : t('rules.replayDiffers')}
          description={
            !replay.matches && (
              <Table
                size="small"
                pagination={false}
                rowKey={(k) => k}
                dataSource={[...new Set([...Object.keys(replay.outputs), ...Object.keys(replay.recorded.outputs)])]}
                columns={[
                  { title: t('rules.output'), render: (k: string) => outputLabel(k) },
                  { title: t('rules.recorded'), render: (k: string) => <ValueView value={replay.recorded.outputs[k]} /> },
                  { title: t('rules.replayed'), render: (k: string) => <ValueView value={replay.outputs[k]} /> },
                ]}
              />
            )
          }
          style={{ marginBottom: 12 }}
          data-testid="replay-result"
        />
      )}
      <Row gutter={[24, 12]}>
        <Col xs={24} lg={12}>
          <Descriptions
            size="small"
            column={1}
            bordered
            title={t('rules.inputs')}
            items={Object.entries(d.inputs).map(([k, v]) => ({ key: k, label: <code>{k}</code>, children: <ValueView value={v} /> }))}
          />
          {d.unknownInputs.length > 0 && <Typography.Paragraph type="secondary" style={{ marginTop: 6 }}>{t('rules.unknownInputs')}{t('common.colon')}{d.unknownInputs.join(', ')}</Typography.Paragraph>}
        </Col>
        <Col xs={24} lg={12}>
          <Descriptions
            size="small"
            column={1}
            bordered
            title={t('rules.parametersUsed', { v: d.parameterVersions.join(', ') })}
            items={Object.entries(d.parameters).map(([k, v]) => ({ key: k, label: <code>{k}</code>, children: <ValueView value={v} /> }))}
          />
        </Col>
      </Row>
      {d.trace.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('rules.trace')}</Typography.Title>
          <Table
            size="small"
            pagination={false}
            rowKey={(_, i) => String(i)}
            dataSource={d.trace}
            columns={[
              { title: t('rules.rule'), dataIndex: 'rule', width: 90, render: (r: string) => <Tag color="geekblue">{r}</Tag> },
              { title: t('rules.valuesRead'), dataIndex: 'values', render: (v: Record<string, unknown>) => <ValueView value={v} /> },
              { title: t('rules.result'), dataIndex: 'result', render: (v: Record<string, unknown>) => <ValueView value={v} /> },
            ]}
          />
        </>
      )}
    </div>
  );
}
