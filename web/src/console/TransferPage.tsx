import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Radio, Row, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError, type ErrorDetail } from '../api/client';
import { transfer } from '../api/endpoints';
import { useI18n } from '../i18n';
import { ErrorAlert } from '../shell/common';
import { useSession } from '../shell/session';

/** Export the knowledge base as Excel or JSON; import a file, with row-numbered errors when it is refused. */
export function TransferPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [mode, setMode] = useState<'draft' | 'publish'>('draft');
  const [report, setReport] = useState<{ categories: number; created: number; updated: number; unchanged: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const details: ErrorDetail[] = error instanceof ApiError && error.details ? error.details : [];

  async function upload(file: File) {
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const isXlsx = /\.xlsx$/i.test(file.name);
      const body = isXlsx ? await file.arrayBuffer() : await file.text();
      setReport(await transfer.importFile(body, isXlsx ? 'xlsx' : 'json', mode));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card title={t('tr.export')}>
          <Typography.Paragraph type="secondary">{t('tr.exportText')}</Typography.Paragraph>
          <Space orientation="vertical">
            {(['published', 'latest'] as const).map((which) => (
              <Space key={which} wrap>
                <Typography.Text style={{ display: 'inline-block', width: 180 }}>{t(which === 'published' ? 'tr.published' : 'tr.latest')}</Typography.Text>
                <Button icon={<DownloadOutlined />} href={transfer.exportUrl('xlsx', which)} data-testid={`export-xlsx-${which}`}>Excel</Button>
                <Button icon={<DownloadOutlined />} href={transfer.exportUrl('json', which)}>JSON</Button>
              </Space>
            ))}
          </Space>
        </Card>
      </Col>
      {can('kb.import') && (
        <Col xs={24} lg={14}>
          <Card title={t('tr.import')}>
            <Typography.Paragraph type="secondary">{t('tr.importText')}</Typography.Paragraph>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Space>
                <Typography.Text>{t('tr.mode')}：</Typography.Text>
                <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)}>
                  <Radio value="draft">{t('tr.modeDraft')}</Radio>
                  <Radio value="publish" disabled={!can('kb.review')}>{t('tr.modePublish')}</Radio>
                </Radio.Group>
              </Space>
              <Upload accept=".xlsx,.json" showUploadList={false} beforeUpload={(file) => { void upload(file); return false; }}>
                <Button type="primary" icon={<UploadOutlined />} loading={isBusy} data-testid="import-file">{t('tr.choose')}</Button>
              </Upload>
              {report && <Alert type="success" showIcon title={t('tr.report', { c: report.categories, n: report.created, u: report.updated, s: report.unchanged })} data-testid="import-report" />}
              <ErrorAlert error={error} />
              {details.length > 0 && (
                <Table<ErrorDetail>
                  size="small"
                  rowKey={(d, i) => `${d.sheet ?? ''}-${d.row}-${d.field ?? ''}-${i}`}
                  dataSource={details}
                  pagination={details.length > 20 ? { pageSize: 20 } : false}
                  data-testid="import-errors"
                  columns={[
                    { title: t('tr.sheet'), dataIndex: 'sheet', width: 110 },
                    { title: t('tr.row'), dataIndex: 'row', width: 70 },
                    { title: t('tr.field'), dataIndex: 'field', width: 120 },
                    { title: t('tr.message'), dataIndex: 'message' },
                  ]}
                />
              )}
            </Space>
          </Card>
        </Col>
      )}
    </Row>
  );
}
