import { CalculatorOutlined, MessageOutlined, PhoneOutlined } from '@ant-design/icons';
import { Card, Col, Grid, Input, Row, Space, Tree, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { kb } from '../api/endpoints';
import { useI18n } from '../i18n';
import { ErrorAlert, useLoad } from '../shell/common';
import { useElderMode } from '../shell/elder-mode';
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
  const [isElder] = useElderMode();
  const isNarrow = Grid.useBreakpoint().md === false;
  const isOneColumn = isNarrow || isElder;

  const categoryTree = tree && (
    <Tree
      blockNode
      defaultExpandAll={false}
      selectedKeys={category ? [category] : []}
      treeData={toTreeData(tree.items, true)}
      onSelect={(keys) => update({ category: (keys[0] as string) ?? undefined, q: undefined, page: undefined })}
      data-testid="category-tree"
    />
  );
  const serviceCards = (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
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
  );
  const listing = (
    <Card
      title={
        <Typography.Text strong style={{ fontSize: 'inherit' }}>
          {q ? t('portal.results', { q }) : current ? t('portal.entriesIn', { name: current.name }) : t('portal.latest')}
        </Typography.Text>
      }
      styles={isOneColumn ? { body: { padding: '4px 16px 12px' } } : undefined}
    >
      {q ? <SearchResults q={q} /> : <CategoryEntries category={category} page={page} onPage={(p) => update({ page: String(p) })} />}
    </Card>
  );

  return (
    <div>
      <section className="zx-hero" aria-labelledby="portal-title">
        <h1 id="portal-title">{t('portal.heroTitle')}</h1>
        {!(isNarrow && q) && <p>{t('portal.heroText')}</p>}
        {/* biome-ignore lint/a11y/useSemanticElements: <form role="search"> is the long-standing search landmark; the <search> element (2023) is unknown to the older browsers some citizens still use */}
        <form role="search" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="portal-search-input" className="zx-visually-hidden">
            {t('portal.searchLabel')}
          </label>
          <Input.Search
            key={q}
            id="portal-search-input"
            defaultValue={q}
            size="large"
            enterButton={t('common.search')}
            placeholder={isNarrow ? t('portal.searchPlaceholderShort') : t('portal.searchPlaceholder')}
            allowClear
            maxLength={500}
            onSearch={(value) => update({ q: value.trim() || undefined, page: undefined, category: value.trim() ? undefined : category })}
            data-testid="portal-search"
          />
        </form>
      </section>

      {isOneColumn ? (
        // phones and 长辈版: one column; after a search the results come first, categories folded below
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {!q && !category && <QuickServices />}
          {listing}
          <details className="zx-categories-fold" open={Boolean(category) && !q} data-testid="category-fold">
            <summary>{t('portal.browseCategories')}</summary>
            <div>
              <ErrorAlert error={error} />
              {categoryTree}
            </div>
          </details>
          {serviceCards}
        </Space>
      ) : (
        <Row gutter={[24, 24]}>
          <Col md={7}>
            <Card title={t('portal.categories')} size="small" styles={{ body: { padding: '8px 4px' } }}>
              <ErrorAlert error={error} />
              {categoryTree}
            </Card>
            <div style={{ marginTop: 16 }}>{serviceCards}</div>
          </Col>
          <Col md={17}>{listing}</Col>
        </Row>
      )}
    </div>
  );
}

/** The rule sets behind the big buttons (server/src/rules/rulesets) and the 社会保障卡 category of the seed knowledge base. */
const QUICK_SERVICES = [
  { key: 'retirement', to: '/calculators/retirement-age' },
  { key: 'pension', to: '/calculators/pension-estimate' },
  { key: 'unemployment', to: '/calculators/unemployment-benefit' },
  { key: 'card', to: '/?category=shebaoka' },
  { key: 'human', to: '/chat?human=1' }, // the chat page opens asking for an agent
] as const;

/** 常办事项: the most asked services as big buttons, each with a plain hint of what it does. */
function QuickServices() {
  const { t } = useI18n();
  return (
    <section className="zx-quick" aria-labelledby="quick-title" data-testid="quick-services">
      <h2 id="quick-title">{t('portal.quickTitle')}</h2>
      <p>{t('portal.quickIntro')}</p>
      <ul className="zx-quick-grid">
        {QUICK_SERVICES.map((s) => (
          <li key={s.key}>
            <Link to={s.to} className="zx-quick-button" data-testid={`quick-${s.key}`}>
              <span className="zx-quick-label">{t(`portal.quick.${s.key}`)}</span>
              <span className="zx-quick-hint">{t(`portal.quick.${s.key}Hint`)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
