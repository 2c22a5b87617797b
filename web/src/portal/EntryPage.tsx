import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Col, Result, Row, Space } from 'antd';
import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { kb } from '../api/endpoints';
import { useI18n } from '../i18n';
import { ErrorAlert, PageSpin, useLoad } from '../shell/common';
import { CorrectionForm, EntryBody, FeedbackBar, RelatedEntries } from './EntryView';

/** The public page of one entry: /kb/:id */
export function EntryPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const { data: entry, error, isLoading } = useLoad(() => kb.entry(id), [id]);

  useEffect(() => {
    if (entry) document.title = `${entry.question} · ${t('app.name')}`;
  }, [entry, t]);

  if (isLoading && !entry) return <PageSpin />;
  if (error instanceof ApiError && error.status === 404)
    return <Result status="404" title="404" subTitle={t('entry.notFound')} extra={<Link to="/"><Button type="primary">{t('common.backHome')}</Button></Link>} />;
  if (error || !entry) return <ErrorAlert error={error} />;

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={17}>
        <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} style={{ paddingLeft: 0, marginBottom: 8 }}>
          {t('common.back')}
        </Button>
        <Card>
          <EntryBody entry={entry} headingLevel={1} />
          <div style={{ marginTop: 32, paddingTop: 16, borderTop: '1px solid #f0f2f5' }}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <FeedbackBar key={entry.id} entryId={entry.id} />
              <CorrectionForm key={`c-${entry.id}`} entryId={entry.id} />
            </Space>
          </div>
        </Card>
      </Col>
      <Col xs={24} lg={7}>
        <RelatedEntries entryId={entry.id} linkTo={(rid) => `/kb/${encodeURIComponent(rid)}`} />
      </Col>
    </Row>
  );
}
