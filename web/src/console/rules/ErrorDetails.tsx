import { Table, Tag } from 'antd';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n';

/**
 * The details of a refused request: failed test cases of a publish (409 tests_failed) or the
 * rows of a refused workbook.
 */
export function ErrorDetails({ error }: { error: unknown }) {
  const { t } = useI18n();
  const details = error instanceof ApiError && Array.isArray(error.details) ? (error.details as unknown as Record<string, unknown>[]) : [];
  if (details.length === 0) return null;
  if (details.every((d) => 'passed' in d && 'name' in d))
    return (
      <Table
        size="small"
        rowKey={(d) => String(d.name)}
        dataSource={details}
        pagination={false}
        data-testid="failed-tests"
        style={{ marginBottom: 16 }}
        columns={[
          { title: t('rules.testName'), dataIndex: 'name' },
          { title: t('rules.testResult'), dataIndex: 'passed', width: 90, render: (p: boolean) => (p ? <Tag color="green">{t('rules.passed')}</Tag> : <Tag color="red">{t('rules.failed')}</Tag>) },
          { title: t('rules.testDetail'), dataIndex: 'detail' },
        ]}
      />
    );
  return (
    <Table
      size="small"
      rowKey={(_, i) => String(i)}
      dataSource={details}
      pagination={details.length > 20 ? { pageSize: 20 } : false}
      style={{ marginBottom: 16 }}
      columns={[
        { title: t('tr.sheet'), dataIndex: 'sheet', width: 110 },
        { title: t('tr.row'), dataIndex: 'row', width: 70 },
        { title: t('tr.field'), dataIndex: 'field', width: 120 },
        { title: t('tr.message'), dataIndex: 'message' },
      ]}
    />
  );
}
