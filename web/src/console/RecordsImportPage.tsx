import { CloudUploadOutlined, FileTextOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, ApiError, type ErrorDetail } from '../api/client';
import { useI18n } from '../i18n';
import { ErrorAlert } from '../shell/common';

/** A file read in the browser: its text is sent as it is, the count is shown before sending. */
interface PickedFile {
  name: string;
  text: string;
  persons: number;
}

/** The file must be `{persons:[…]}`; anything else is named here instead of being sent. */
function readPersonsFile(text: string): { persons: number } | { problem: 'rec.import.badJson' | 'rec.import.noPersons' } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'rec.import.badJson' };
  }
  const persons = (parsed as { persons?: unknown } | null)?.persons;
  return Array.isArray(persons) && persons.length ? { persons: persons.length } : { problem: 'rec.import.noPersons' };
}

/**
 * Citizens' records from the core business system: a JSON file is checked whole by the server and either
 * imported entirely or refused with its problems by row (the row is the person's position in the file).
 */
export function RecordsImportPage() {
  const { t } = useI18n();
  const [file, setFile] = useState<PickedFile | null>(null);
  const [imported, setImported] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);
  const details: ErrorDetail[] = error instanceof ApiError && error.details ? error.details : [];

  async function pick(picked: File) {
    setImported(null);
    setError(null);
    setFile(null);
    const text = await picked.text();
    const read = readPersonsFile(text);
    if ('problem' in read) {
      setFileProblem(t(read.problem));
      return;
    }
    setFileProblem(null);
    setFile({ name: picked.name, text, persons: read.persons });
  }

  async function send() {
    if (!file) return;
    setSending(true);
    setError(null);
    try {
      const answer = await api.upload<{ imported: number }>('/api/v1/records/import', file.text, 'application/json');
      setImported(answer.imported);
      setFile(null);
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  }

  return (
    <Card title={t('rec.import.title')}>
      <Typography.Paragraph type="secondary">{t('rec.import.intro')}</Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Upload accept=".json,application/json" showUploadList={false} beforeUpload={(f) => { void pick(f); return false; }}>
            <Button icon={<FileTextOutlined />} data-testid="records-import-file">{t('rec.import.choose')}</Button>
          </Upload>
          {file && (
            <>
              <Typography.Text data-testid="records-import-picked">{t('rec.import.picked', { name: file.name, n: file.persons })}</Typography.Text>
              <Button type="primary" icon={<CloudUploadOutlined />} loading={isSending} onClick={() => void send()} data-testid="records-import-send">
                {t('rec.import.send')}
              </Button>
            </>
          )}
        </Space>
        {fileProblem && <Alert type="error" showIcon title={fileProblem} data-testid="records-import-file-problem" />}
        {imported !== null && <Alert type="success" showIcon title={t('rec.import.done', { n: imported })} data-testid="records-import-done" />}
        {details.length > 0 ? <Alert type="error" showIcon title={t('rec.import.refused', { n: details.length })} /> : <ErrorAlert error={error} />}
        {details.length > 0 && (
          <Table<ErrorDetail>
            size="small"
            rowKey={(d, i) => `${d.row}-${d.field ?? ''}-${i}`}
            dataSource={details}
            pagination={details.length > 20 ? { pageSize: 20 } : false}
            data-testid="records-import-problems"
            columns={[
              { title: t('rec.import.row'), dataIndex: 'row', width: 80 },
              { title: t('rec.import.field'), dataIndex: 'field', width: 220, render: (f?: string) => <Typography.Text code>{f}</Typography.Text> },
              { title: t('rec.import.message'), dataIndex: 'message' },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}
