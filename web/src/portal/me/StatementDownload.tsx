import { FilePdfOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { IssuedStatement } from '../../../../common/record-statements';
import { myRecords } from '../../api/citizen';
import { useI18n } from '../../i18n';

/**
 * 下载参保证明: issues a statement (with a verification code anyone can check at /verify/{code}) and
 * downloads its PDF with the citizen's token; without a PDF font on the server, the web view remains.
 */
export function StatementDownload() {
  const { t } = useI18n();
  const [issued, setIssued] = useState<IssuedStatement | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function download() {
    setBusy(true);
    setFailure(null);
    try {
      const statement = await myRecords.issueStatement();
      setIssued(statement);
      const blob = await myRecords.statementPdf(statement.pdfUrl);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `社会保险参保缴费证明-${statement.issuedAt.slice(0, 10)}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const verifyPath = issued ? `/verify/${issued.code}` : '';
  return (
    <div className="zx-me-statement">
      <Button size="large" icon={<FilePdfOutlined aria-hidden />} loading={isBusy} onClick={download} data-testid="me-statement-download">
        {t('me.statement.download')}
      </Button>
      {issued && (
        <p data-testid="me-statement-issued">
          {t('me.statement.issued', { code: issued.code, url: `${window.location.origin}${verifyPath}` })} <Link to={verifyPath}>{t('me.statement.webView')}</Link>
        </p>
      )}
      {failure && <Alert type="warning" showIcon message={t('me.statement.failed', { message: failure })} />}
    </div>
  );
}
