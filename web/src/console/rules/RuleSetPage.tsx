import { ArrowLeftOutlined, CheckCircleOutlined, CloseCircleOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Empty, Modal, Space, Table, Tabs, Tag, Tooltip, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { rules } from '../../api/endpoints';
import type { RuleSetDocument, RuleSetTestResult, RuleSetVersionInfo, SavedRuleSetVersion } from '../../api/types';
import { formatDateTime, useI18n } from '../../i18n';
import { ErrorAlert, PageSpin, useLoad } from '../../shell/common';
import { useSession } from '../../shell/session';
import { ErrorDetails } from './ErrorDetails';
import { ValueView } from './shared';

/** One rule set as a readable document: rules with citations and FEEL, decision tables, tests, versions. */
export function RuleSetPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { can } = useSession();
  const doc = useLoad(() => rules.document(id, lang), [id, lang]);
  const versions = useLoad(() => (can('rules.simulate') ? rules.versions(id) : Promise.resolve({ items: [] })), [id]);
  const [tab, setTab] = useState('rules');
  const d = doc.data;

  if (doc.isLoading && !d) return <PageSpin />;
  return (
    <Card
      title={
        <Space>
          <Link to="/console/rules">
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} />
          </Link>
          {d?.name ?? id}
          <Typography.Text type="secondary" code>{id}</Typography.Text>
        </Space>
      }
      extra={d && <ImportExport id={id} onImported={() => { versions.reload(); setTab('versions'); }} />}
      data-testid="ruleset-page"
    >
      <ErrorAlert error={doc.error} />
      {d && (
        <>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              { key: 'v', label: t('rules.versionInForce'), children: <Tag color="blue">{d.version}</Tag> },
              { key: 'f', label: t('rules.effectiveFrom'), children: d.effectiveFrom },
              { key: 'c', label: t('rules.counts'), children: t('rules.countsText', { r: d.rules.length, i: d.inputs.length, c: d.tests.length }) },
              { key: 'd', label: t('rules.description'), span: 3, children: d.description },
              { key: 'l', label: t('rules.legalBasis'), span: 3, children: d.legalBasis },
            ]}
          />
          <Tabs
            activeKey={tab}
            onChange={setTab}
            style={{ marginTop: 8 }}
            items={[
              { key: 'rules', label: t('rules.rules'), children: <RulesDocument doc={d} /> },
              { key: 'io', label: t('rules.inputsOutputs'), children: <InputsOutputs doc={d} /> },
              { key: 'tests', label: t('rules.tests', { n: d.tests.length }), children: <TestCases doc={d} /> },
              ...(can('rules.simulate')
                ? [{ key: 'versions', label: <span data-testid="ruleset-tab-versions">{t('rules.versionsTab')}</span>, children: <Versions id={id} data={versions.data?.items} error={versions.error} isLoading={versions.isLoading} reload={versions.reload} /> }]
                : []),
            ]}
          />
        </>
      )}
    </Card>
  );
}

function RulesDocument({ doc }: { doc: RuleSetDocument }) {
  const { t } = useI18n();
  // a decision-table column is an input, a parameter or a variable computed by an earlier rule
  const labelOf = (name: string) => doc.inputs.find((i) => i.id === name)?.label ?? doc.parameters.find((p) => p.name === name)?.label ?? doc.outputs.find((o) => o.id === name)?.label;
  return (
    <div data-testid="ruleset-rules">
      {doc.parameters.length > 0 && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          title={t('rules.paramsRead')}
          description={
            <Space size={[6, 6]} wrap>
              {doc.parameters.map((p) => (
                <Tooltip key={p.name} title={p.key}>
                  <Tag>
                    <code>{p.name}</code> {p.label}
                  </Tag>
                </Tooltip>
              ))}
            </Space>
          }
        />
      )}
      {doc.rules.map((r) => (
        <section key={r.id} className="zx-rule" id={`rule-${r.id}`} data-testid={`rule-${r.id}`}>
          <header>
            <Tag color="geekblue" style={{ fontSize: 13 }}>{r.id}</Tag>
            <Typography.Text strong style={{ fontSize: 15 }}>{r.title}</Typography.Text>
          </header>
          <div className="zx-rule-citation">
            {t('rules.citation')}{t('common.colon')}{r.citation}
          </div>
          {r.when && (
            <div className="zx-rule-row">
              <span className="zx-rule-label">{t('rules.when')}</span>
              <code className="zx-feel">{r.when}</code>
            </div>
          )}
          {r.decisionTable && (
            <div className="zx-rule-row">
              <span className="zx-rule-label">{t('rules.decisionTable')}</span>
              <Table
                size="small"
                bordered
                pagination={false}
                rowKey={(_, i) => String(i)}
                dataSource={r.decisionTable.rows.map((row, i) => ({ row, n: i + 1 }))}
                style={{ flex: 1, minWidth: 0 }}
                scroll={{ x: true }}
                columns={[
                  { title: '#', dataIndex: 'n', width: 40 },
                  ...r.decisionTable.inputs.map((name, i) => ({
                    title: <span className="zx-dt-in">{labelOf(name)}<div><code>{name}</code></div></span>,
                    render: (_: unknown, x: { row: string[] }) => <code className="zx-feel">{x.row[i]}</code>,
                  })),
                  ...r.decisionTable.outputs.map((name, j) => ({
                    title: <span className="zx-dt-out">→ {labelOf(name)}<div><code>{name}</code></div></span>,
                    render: (_: unknown, x: { row: string[] }) => <code className="zx-feel">{x.row[r.decisionTable!.inputs.length + j]}</code>,
                  })),
                ]}
              />
            </div>
          )}
          {r.set && (
            <div className="zx-rule-row">
              <span className="zx-rule-label">{t('rules.set')}</span>
              <table className="zx-feel-table">
                <tbody>
                  {Object.entries(r.set).map(([v, e]) => (
                    <tr key={v}>
                      <th>{v}</th>
                      <td>=</td>
                      <td>
                        <code className="zx-feel">{e}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {r.why && (
            <div className="zx-rule-row">
              <span className="zx-rule-label">{t('rules.why')}</span>
              <Typography.Text type="secondary">{r.why}</Typography.Text>
            </div>
          )}
        </section>
      ))}
      {doc.notes.length > 0 && <Alert type="warning" title={t('calc.notes')} description={doc.notes.join(' ')} />}
    </div>
  );
}

function InputsOutputs({ doc }: { doc: RuleSetDocument }) {
  const { t } = useI18n();
  return (
    <>
      <Typography.Title level={5}>{t('rules.inputs')}</Typography.Title>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={doc.inputs}
        columns={[
          { title: 'id', dataIndex: 'id', width: 170, render: (v: string) => <code>{v}</code> },
          { title: t('rules.type'), dataIndex: 'type', width: 90 },
          { title: t('rules.label'), dataIndex: 'label', width: 200 },
          { title: t('rules.question'), dataIndex: 'question' },
          {
            title: t('rules.allowed'),
            width: 260,
            render: (_, i) =>
              i.options ? (
                <Space size={[4, 4]} wrap>{i.options.map((o) => <Tag key={o.id} title={o.id}>{o.label}</Tag>)}</Space>
              ) : i.min !== undefined || i.max !== undefined ? (
                `${i.min ?? ''} … ${i.max ?? ''}${i.unit ? ` ${i.unit}` : ''}`
              ) : (
                i.unit ?? ''
              ),
          },
          { title: t('rules.askedWhen'), dataIndex: 'askedWhen', width: 140 },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 20 }}>{t('rules.outputs')}</Typography.Title>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={doc.outputs}
        columns={[
          { title: 'id', dataIndex: 'id', width: 230, render: (v: string) => <code>{v}</code> },
          { title: t('rules.type'), dataIndex: 'type', width: 90 },
          { title: t('rules.label'), dataIndex: 'label' },
          { title: t('rules.unit'), dataIndex: 'unit', width: 80 },
          { title: t('rules.codes'), dataIndex: 'codes', render: (c?: Record<string, string>) => c && <Space size={[4, 4]} wrap>{Object.entries(c).map(([k, v]) => <Tag key={k} title={k}>{v}</Tag>)}</Space> },
        ]}
      />
    </>
  );
}

function TestCases({ doc }: { doc: RuleSetDocument }) {
  const { t } = useI18n();
  return (
    <Table
      size="small"
      rowKey={(tc) => tc.name}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      dataSource={doc.tests}
      data-testid="ruleset-tests"
      columns={[
        { title: t('rules.testName'), dataIndex: 'name', width: 200 },
        { title: t('rules.testInputs'), dataIndex: 'inputs', render: (v: Record<string, unknown>) => <ValueView value={v} /> },
        {
          title: t('rules.testExpect'),
          render: (_, tc) =>
            tc.expectQuestion ? (
              <span>{t('rules.expectQuestion')} <code>{tc.expectQuestion}</code></span>
            ) : tc.expectErrorField ? (
              <span>{t('rules.expectError')} <code>{tc.expectErrorField}</code></span>
            ) : (
              <ValueView value={tc.expect} />
            ),
        },
        { title: t('rules.testDate'), dataIndex: 'date', width: 110 },
      ]}
    />
  );
}

function TestSummary({ tests }: { tests: RuleSetTestResult[] | null }) {
  const { t } = useI18n();
  if (!tests) return <Typography.Text type="secondary">{t('rules.builtInTests')}</Typography.Text>;
  const failed = tests.filter((x) => !x.passed);
  return failed.length === 0 ? (
    <Tag icon={<CheckCircleOutlined />} color="success">{t('rules.allPassed', { n: tests.length })}</Tag>
  ) : (
    <Tag icon={<CloseCircleOutlined />} color="error">{t('rules.someFailed', { f: failed.length, n: tests.length })}</Tag>
  );
}

function Versions({ id, data, error, isLoading, reload }: { id: string; data?: RuleSetVersionInfo[]; error: unknown; isLoading: boolean; reload: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const [refused, setRefused] = useState<{ version: string; error: unknown } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function publish(version: string) {
    setBusy(version);
    try {
      await rules.publish(id, version);
      message.success(t('rules.published', { v: version }));
    } catch (err) {
      // 409 tests_failed lists the failing test cases in the error's details
      setRefused({ version, error: err });
    } finally {
      setBusy(null);
      reload();
    }
  }

  return (
    <>
      <ErrorAlert error={error} />
      <Typography.Paragraph type="secondary">{t('rules.versionsHint')}</Typography.Paragraph>
      <Table<RuleSetVersionInfo>
        size="middle"
        rowKey="version"
        loading={isLoading}
        dataSource={data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty /> }}
        scroll={{ x: 1000 }}
        data-testid="ruleset-versions"
        expandable={{
          rowExpandable: (v) => !!v.tests?.length,
          expandedRowRender: (v) => (
            <Table
              size="small"
              rowKey="name"
              pagination={false}
              dataSource={v.tests ?? []}
              columns={[
                { title: t('rules.testName'), dataIndex: 'name' },
                { title: t('rules.testResult'), dataIndex: 'passed', width: 90, render: (p: boolean) => (p ? <Tag color="green">{t('rules.passed')}</Tag> : <Tag color="red">{t('rules.failed')}</Tag>) },
                { title: t('rules.testDetail'), dataIndex: 'detail' },
              ]}
            />
          ),
        }}
        columns={[
          { title: t('rules.version'), dataIndex: 'version', width: 150, render: (v: string, r) => <Space><Typography.Text strong>{v}</Typography.Text>{r.builtIn && <Tag>{t('rules.builtIn')}</Tag>}</Space> },
          { title: t('rules.effectiveFrom'), dataIndex: 'effectiveFrom', width: 120 },
          { title: t('rules.effectiveTo'), dataIndex: 'effectiveTo', width: 120, render: (v: string | null) => v ?? '—' },
          { title: t('rules.status'), dataIndex: 'status', width: 100, render: (s: string) => <Tag color={s === 'published' ? 'green' : 'gold'}>{s === 'published' ? t('state.published') : t('state.draft')}</Tag> },
          { title: t('rules.testsColumn'), dataIndex: 'tests', width: 170, render: (x: RuleSetTestResult[] | null) => <TestSummary tests={x} /> },
          { title: t('rules.createdBy'), width: 180, render: (_, v) => (v.createdAt ? `${v.createdBy} · ${formatDateTime(v.createdAt, lang)}` : v.createdBy) },
          { title: t('rules.publishedBy'), width: 180, render: (_, v) => (v.publishedAt ? `${v.publishedBy} · ${formatDateTime(v.publishedAt, lang)}` : '—') },
          {
            title: t('common.actions'),
            width: 110,
            render: (_, v) =>
              v.status !== 'published' && can('rules.publish') ? (
                <Button size="small" type="primary" loading={busy === v.version} onClick={() => publish(v.version)} data-testid={`publish-${v.version}`}>
                  {t('rules.publish')}
                </Button>
              ) : null,
          },
        ]}
      />
      {refused && (
        <Modal open title={t('rules.publishRefused', { v: refused.version })} onCancel={() => setRefused(null)} footer={<Button onClick={() => setRefused(null)}>{t('chat.close')}</Button>} width={720}>
          <ErrorAlert error={refused.error} />
          <ErrorDetails error={refused.error} />
        </Modal>
      )}
    </>
  );
}

/** Excel: export the version in force; import a workbook as a new draft version (its tests are run). */
function ImportExport({ id, onImported }: { id: string; onImported: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const [result, setResult] = useState<SavedRuleSetVersion | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  async function upload(file: File) {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await rules.importWorkbook(id, await file.arrayBuffer()));
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Space>
      {can('rules.simulate') && (
        <Button icon={<DownloadOutlined />} href={rules.exportUrl(id)} data-testid="ruleset-export">
          {t('rules.exportExcel')}
        </Button>
      )}
      {can('rules.edit') && (
        <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => { void upload(f); return false; }}>
          <Button icon={<UploadOutlined />} loading={isBusy} data-testid="ruleset-import">
            {t('rules.importExcel')}
          </Button>
        </Upload>
      )}
      <Modal open={!!(result || error)} title={t('rules.importResult')} onCancel={() => { setResult(null); setError(null); }} footer={null} width={720}>
        {result && (
          <>
            <Alert type={result.tests.every((x) => x.passed) ? 'success' : 'warning'} showIcon title={t('rules.imported', { v: result.version })} style={{ marginBottom: 12 }} />
            <TestSummary tests={result.tests} />
            <Table size="small" rowKey="name" pagination={false} dataSource={result.tests.filter((x) => !x.passed)} style={{ marginTop: 12 }} columns={[{ title: t('rules.testName'), dataIndex: 'name' }, { title: t('rules.testDetail'), dataIndex: 'detail' }]} locale={{ emptyText: t('rules.allPassedShort') }} />
          </>
        )}
        <ErrorAlert error={error} />
        <ErrorDetails error={error} />
      </Modal>
    </Space>
  );
}
