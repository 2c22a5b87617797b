import { BarChartOutlined, FileTextOutlined, HistoryOutlined, SlidersOutlined } from '@ant-design/icons';
import { Card, Table, Tabs, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import type { RuleSetDocument } from '../../api/types';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../shell/common';
import { useSession } from '../../shell/session';
import { DeterminationsTab } from './DeterminationsTab';
import { ParametersTab } from './ParametersTab';
import { useRuleSetDocuments } from './shared';
import { WhatIfTab } from './WhatIfTab';

/**
 * 政策规则 (rules.edit or rules.simulate): the rule sets as readable documents with their versions,
 * the parameter tables by jurisdiction and effective date, population what-ifs, and the log of
 * determinations with replay.
 */
export function RulesConsole() {
  const { t } = useI18n();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'rulesets';
  const mayLog = can('rules.simulate');
  return (
    <Card title={t('rules.title')} data-testid="rules-console">
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'rulesets', label: <span data-testid="rules-tab-rulesets"><FileTextOutlined /> {t('rules.ruleSets')}</span>, children: <RuleSetList /> },
          { key: 'params', label: <span data-testid="rules-tab-params"><SlidersOutlined /> {t('rules.parameters')}</span>, children: <ParametersTab /> },
          ...(mayLog
            ? [
                { key: 'whatif', label: <span data-testid="rules-tab-whatif"><BarChartOutlined /> {t('rules.whatIf')}</span>, children: <WhatIfTab /> },
                { key: 'log', label: <span data-testid="rules-tab-log"><HistoryOutlined /> {t('rules.log')}</span>, children: <DeterminationsTab /> },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function RuleSetList() {
  const { t } = useI18n();
  const { docs, error, isLoading } = useRuleSetDocuments();
  return (
    <>
      <Typography.Paragraph type="secondary">{t('rules.ruleSetsHint')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Table<RuleSetDocument>
        rowKey="id"
        loading={isLoading}
        dataSource={docs}
        pagination={false}
        columns={[
          {
            title: t('rules.ruleSet'),
            render: (_, d) => (
              <div>
                <Link to={`/console/rules/sets/${encodeURIComponent(d.id)}`} data-testid={`ruleset-link-${d.id}`}>
                  <Typography.Text strong style={{ color: 'inherit' }}>{d.name}</Typography.Text>
                </Link>{' '}
                <Typography.Text type="secondary" code>{d.id}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>{d.description}</Typography.Text>
                </div>
              </div>
            ),
          },
          { title: t('rules.versionInForce'), dataIndex: 'version', width: 120, render: (v: string) => <Tag color="blue">{v}</Tag> },
          { title: t('rules.effectiveFrom'), dataIndex: 'effectiveFrom', width: 120 },
          { title: t('rules.counts'), width: 200, render: (_, d) => t('rules.countsText', { r: d.rules.length, i: d.inputs.length, c: d.tests.length }) },
          { title: t('rules.versions'), width: 90, render: (_, d) => d.versions?.length ?? 1 },
        ]}
      />
    </>
  );
}
