import { BulbOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Card, Col, Drawer, Empty, Input, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { kb } from '../api/endpoints';
import type { ServedEntry } from '../api/types';
import { useI18n } from '../i18n';
import { EntryBody, RelatedEntries } from '../portal/EntryView';
import { CategoryEntries, SearchResults } from '../portal/KnowledgeSearch';
import { ErrorAlert, PageSpin, useLoad } from '../shell/common';
import { useSession } from '../shell/session';
import { AgentDesk } from './AgentDesk';
import { ProposeForm } from './ProposeForm';
import './workspace.css';

/**
 * 坐席工作台: agents (and supervisors) get the live desk of conversations with knowledge beside it;
 * other staff (editors, reviewers) get knowledge search on its own.
 */
export function WorkspacePage() {
  const { can } = useSession();
  return can('conversations.handle') ? <AgentDesk /> : <KnowledgeDesk />;
}

/** Knowledge search for staff on a call. The session cookie makes the same search API include staff-only entries. */
function KnowledgeDesk() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const entryId = params.get('entry') ?? undefined;
  const [page, setPage] = useState(1);
  const [proposal, setProposal] = useState<{ entry?: ServedEntry } | null>(null);

  const set = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) (v ? merged.set(k, v) : merged.delete(k));
    setParams(merged);
  };
  const pick = (id: string) => set({ entry: id });

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('ws.title')}
        </Typography.Title>
        <Button icon={<BulbOutlined />} onClick={() => setProposal({})} data-testid="propose-new">
          {t('ws.propose')}
        </Button>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <Card size="small">
            <Input.Search
              key={q}
              defaultValue={q}
              placeholder={t('ws.search')}
              enterButton
              allowClear
              size="large"
              onSearch={(v) => set({ q: v.trim() || undefined })}
              data-testid="ws-search"
            />
            <div style={{ marginTop: 8, maxHeight: 'calc(100vh - 260px)', overflowY: 'auto' }}>
              {q ? <SearchResults q={q} onPick={pick} /> : <CategoryEntries page={page} onPage={setPage} onPick={pick} />}
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          {entryId ? (
            <WorkspaceEntry id={entryId} onPick={pick} onPropose={(entry) => setProposal({ entry })} />
          ) : (
            <Card>
              <Empty description={t('ws.pick')} />
            </Card>
          )}
        </Col>
      </Row>
      <Drawer title={t('ws.proposeTitle')} size={560} open={proposal !== null} onClose={() => setProposal(null)} destroyOnHidden>
        {proposal && <ProposeForm entry={proposal.entry} onDone={() => setProposal(null)} />}
      </Drawer>
    </div>
  );
}

function WorkspaceEntry({ id, onPick, onPropose }: { id: string; onPick: (id: string) => void; onPropose: (e: ServedEntry) => void }) {
  const { t } = useI18n();
  const { data: entry, error, isLoading } = useLoad(() => kb.entry(id), [id]);
  if (isLoading && !entry) return <PageSpin />;
  if (error || !entry) return <ErrorAlert error={error} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        extra={
          <Button icon={<EditOutlined />} onClick={() => onPropose(entry)} data-testid="propose-edit">
            {t('ws.proposeEdit')}
          </Button>
        }
        title={<Typography.Text type="secondary">{entry.id}</Typography.Text>}
      >
        <EntryBody entry={entry} />
      </Card>
      <div onClickCapture={(e) => {
        const a = (e.target as HTMLElement).closest('a');
        const href = a?.getAttribute('href');
        if (href?.startsWith('/kb/')) {
          e.preventDefault();
          onPick(decodeURIComponent(href.slice(4)));
        }
      }}>
        <RelatedEntries entryId={entry.id} linkTo={(rid) => `/kb/${encodeURIComponent(rid)}`} />
      </div>
    </Space>
  );
}
