import { BarChartOutlined, DownloadOutlined, TableOutlined } from '@ant-design/icons';
import { Button, Card, Skeleton, Space, Table, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { ErrorAlert } from '../../shell/common';

export interface ChartCardProps<Row> {
  /** the card's name in its test ids: analytics-card-<name>, analytics-table-<name>, analytics-export-<name> */
  name: string;
  title: ReactNode;
  /** the Excel file of this card's data, under the current filter; none in a stored report */
  exportUrl?: string;
  isLoading?: boolean;
  error?: unknown;
  /** the chart; left out for cards that are a table or a list only */
  chart?: ReactNode;
  /** the same data as a table */
  columns: ColumnsType<Row>;
  rows: Row[];
  rowKey: (row: Row) => string;
  /** extra controls in the card's header (a level switch …) */
  extra?: ReactNode;
  /** shown above the chart or table */
  header?: ReactNode;
}

/** The Excel download of a card: a plain link the session cookie authenticates, as the knowledge export does. */
export function ExportButton({ name, href }: { name: string; href: string }) {
  const { t } = useI18n();
  return (
    <Tooltip title={t('analytics.export')}>
      <Button size="small" icon={<DownloadOutlined />} href={href} download data-testid={`analytics-export-${name}`} aria-label={t('analytics.export')}>
        Excel
      </Button>
    </Tooltip>
  );
}

/**
 * A dashboard card: a chart with a toggle to the same data as a table (every chart can be read as
 * numbers, and screen readers get the table), an Excel download, loading and error states.
 */
export function ChartCard<Row extends object>({ name, title, exportUrl, isLoading, error, chart, columns, rows, rowKey, extra, header }: ChartCardProps<Row>) {
  const { t } = useI18n();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const showsTable = !chart || view === 'table';
  return (
    <Card
      size="small"
      title={title}
      data-testid={`analytics-card-${name}`}
      style={{ height: '100%' }}
      extra={
        <Space size={8} wrap>
          {extra}
          {chart && (
            <Tooltip title={t(view === 'chart' ? 'analytics.view.table' : 'analytics.view.chart')}>
              <Button
                size="small"
                icon={view === 'chart' ? <TableOutlined /> : <BarChartOutlined />}
                onClick={() => setView(view === 'chart' ? 'table' : 'chart')}
                data-testid={`analytics-toggle-${name}`}
                data-view={view}
                aria-label={t(view === 'chart' ? 'analytics.view.table' : 'analytics.view.chart')}
              />
            </Tooltip>
          )}
          {exportUrl && <ExportButton name={name} href={exportUrl} />}
        </Space>
      }
    >
      <ErrorAlert error={error} />
      {header}
      {isLoading && rows.length === 0 ? (
        <Skeleton active paragraph={{ rows: 5 }} />
      ) : error && rows.length === 0 ? null : showsTable ? (
        <Table<Row>
          size="small"
          rowKey={rowKey}
          columns={columns}
          dataSource={rows}
          loading={isLoading}
          pagination={rows.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
          data-testid={`analytics-table-${name}`}
          scroll={{ x: true }}
        />
      ) : (
        chart
      )}
    </Card>
  );
}
