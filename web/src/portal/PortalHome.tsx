import { CalculatorOutlined, MessageOutlined, PhoneOutlined } from '@ant-design/icons';
import { Card, Col, Input, Row, Space, Tree, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { kb } from '../api/endpoints';
import { useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';
import { CategoryEntries, findCategory, SearchResults, toTreeData } from './KnowledgeSearch';

/** The public portal: search, category browsing, links to the assistant and calculators. */
export function PortalHome() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const category = params.get('category') ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const { data: tree, error } = useLoad(() => kb.categories(), []);

  useEffect(() => {
    document.title = `${t('app.name')} · ${t('app.subtitle')}`;
  }, [t]);

  const update = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) (v ? merged.set(k, v) : merged.delete(k));
    setParams(merged);
  };
  const current = category && tree ? findCategory(tree.items, category) : undefined;

  return (
    <div>
      <section className="zx-hero">
        <h1>{t('portal.heroTitle')}</h1>
        <p>{t('portal.heroText')}</p>
        <Input.Search
          key={q}
          defaultValue={q}
          size="large"
          enterButton={t('common.search')}
          placeholder={t('portal.searchPlaceholder')}
          allowClear
          maxLength={500}
          onSearch={(value) => update({ q: value.trim() || undefined, page: undefined, category: value.trim() ? undefined : category })}
          data-testid="portal-search"
        />
      </section>

      <Row gutter={[24, 24]}>
        <Col xs={24} md={7}>
          <Card title={t('portal.categories')} size="small" styles={{ body: { padding: '8px 4px' } }}>
            <ErrorAlert error={error} />
            {tree && (
              <Tree
                blockNode
                defaultExpandAll={false}
                selectedKeys={category ? [category] : []}
                treeData={toTreeData(tree.items, true)}
                onSelect={(keys) => update({ category: (keys[0] as string) ?? undefined, q: undefined, page: undefined })}
                data-testid="category-tree"
              />
            )}
          </Card>
          <Space orientation="vertical" size={16} style={{ width: '100%', marginTop: 16 }}>
            <Link to="/chat" className="zx-card-link">
              <Card size="small" className="zx-service-card">
                <Card.Meta avatar={<MessageOutlined style={{ fontSize: 26, color: '#1456b8' }} />} title={t('nav.chat')} description={t('portal.chatCard')} />
              </Card>
            </Link>
            <Link to="/calculators" className="zx-card-link">
              <Card size="small" className="zx-service-card">
                <Card.Meta avatar={<CalculatorOutlined style={{ fontSize: 26, color: '#c8102e' }} />} title={t('nav.calculators')} description={t('portal.calcCard')} />
              </Card>
            </Link>
            <Card size="small">
              <Card.Meta avatar={<PhoneOutlined style={{ fontSize: 26, color: '#2f9e44' }} />} title={t('app.hotline')} description="7×24" />
            </Card>
          </Space>
        </Col>
        <Col xs={24} md={17}>
          <Card
            title={
              <Typography.Text strong style={{ fontSize: 16 }}>
                {q ? t('portal.results', { q }) : current ? t('portal.entriesIn', { name: current.name }) : t('portal.latest')}
              </Typography.Text>
            }
          >
            {q ? (
              <SearchResults q={q} />
            ) : (
              <CategoryEntries category={category} page={page} onPage={(p) => update({ page: String(p) })} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
