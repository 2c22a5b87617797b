import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Progress, Row, Space, Table, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ApiError, type ErrorDetail } from '../api/client';
import { transfer } from '../api/endpoints';
import type { ImportJob } from '../api/types';
import { useI18n } from '../i18n';
import { ErrorAlert } from '../shell/common';
import { useSession } from '../shell/session';

const POLL_MS = 700;

/**
 * Export the knowledge base as Excel or JSON; import a file. The import runs as a background job:
 * the page polls it, shows its progress, then the report or the row-numbered errors.
 */
export function TransferPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isUploading, setUploading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const isBusy = isUploading || job?.status === 'queued' || job?.status === 'running';
  const details: ErrorDetail[] = error instanceof ApiError && error.details ? error.details : [];
  const report = job?.status === 'done' ? job.result : null;

  function poll(jobId: string) {
    timer.current = setTimeout(async () => {
      try {
        const next = await transfer.job(jobId);
        setJob(next);
        if (next.status === 'failed' && next.error) setError(new ApiError(400, next.error.code, next.error.message, undefined, next.error.details));
        if (next.status === 'queued' || next.status === 'running') poll(jobId);
      } catch (err) {
        setError(err);
      }
    }, POLL_MS);
  }

  async function upload(file: File) {
    clearTimeout(timer.current);
    setUploading(true);
    setError(null);
    setJob(null);
    try {
      const isXlsx = /\.xlsx$/i.test(file.name);
      const body = isXlsx ? await file.arrayBuffer() : await file.text();
      const { jobId } = await transfer.importFile(body, isXlsx ? 'xlsx' : 'json');
      setJob({ id: jobId, status: 'queued', progress: 0, message: null, result: null, error: null, createdBy: '', createdAt: '', finishedAt: null });
      poll(jobId);
    } catch (err) {
      setError(err);
    } finally {
      setUploading(false);
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
              <Upload accept=".xlsx,.json" showUploadList={false} beforeUpload={(file) => { void upload(file); return false; }}>
                <Button type="primary" icon={<UploadOutlined />} loading={isBusy} data-testid="import-file">{t('tr.choose')}</Button>
              </Upload>
              {isBusy && job && (
                <div data-testid="import-progress">
                  <Progress percent={job.progress} status="active" />
                  <Typography.Text type="secondary">{job.message ?? t(job.status === 'queued' ? 'tr.queued' : 'tr.running')}</Typography.Text>
                </div>
              )}
              {report && <Alert type="success" showIcon title={t('tr.report', { c: report.categories, n: report.created, u: report.updated, s: report.unchanged, r: report.inReview })} data-testid="import-report" />}
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
