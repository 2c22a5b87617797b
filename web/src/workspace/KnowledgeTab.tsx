import { BulbOutlined, EditOutlined, EnterOutlined, EyeOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Empty, Input, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage } from '../api/client';
import { kb } from '../api/endpoints';
import type { ServedEntry } from '../api/types';
import { useI18n } from '../i18n';
import { EntryBody, RelatedEntries } from '../portal/EntryView';
import { CategoryEntries } from '../portal/KnowledgeSearch';
import { ErrorAlert, PageSpin, useLoad } from '../shell/common';
import { ProposeForm } from './ProposeForm';

/** Puts an answer into the composer, naming the entry it came from. */
export type InsertAnswer = (text: string, entryId?: string) => void;

/** Fetches an entry's full answer and hands it to the composer. */
export function useInsertEntry(onInsert: InsertAnswer | undefined) {
  const { message } = App.useApp();
  const [busyId, setBusyId] = useState<string | null>(null);
  async function insert(entryId: string) {
    if (!onInsert) return;
    setBusyId(entryId);
    try {
      const entry = await kb.entry(entryId);
      onInsert(entry.answer, entry.id);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusyId(null);
    }
  }
  return { insert, busyId };
}

/**
 * Knowledge search for the agent (the session makes it include staff-only entries): each hit can be
 * read in a drawer, inserted into the reply in one click (the entry id travels with the message), or
 * corrected through a proposal to the editors.
 */
export function KnowledgeTab({ onInsert }: { onInsert?: InsertAnswer }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [viewing, setViewing] = useState<string | null>(null);
  const [proposal, setProposal] = useState<{ entry?: ServedEntry } | null>(null);
  const { insert, busyId } = useInsertEntry(onInsert);
  const { data, error, isLoading } = useLoad(() => (q ? kb.search(q, undefined, 20) : Promise.resolve(undefined)), [q]);

  return (
    <div className="zx-ws-kb">
      <Space.Compact style={{ width: '100%' }}>
        <Input.Search placeholder={t('ws.search')} allowClear enterButton onSearch={(v) => setQ(v.trim())} data-testid="ws-kb-search" />
        <Button icon={<BulbOutlined />} onClick={() => setProposal({})} title={t('ws.propose')} data-testid="propose-new" />
      </Space.Compact>
      <ErrorAlert error={error} style={{ marginTop: 8 }} />
      <div className="zx-ws-kb-results" data-testid="ws-kb-results">
        {!q ? (
          <CategoryEntries page={page} onPage={setPage} onPick={setViewing} />
        ) : isLoading && !data ? (
          <Spin style={{ display: 'block', margin: 24 }} />
        ) : !data?.items.length ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portal.noResults')} />
        ) : (
          data.items.map((hit) => (
            <div key={hit.id} className="zx-ws-hit" data-testid="ws-kb-hit" data-entry={hit.id}>
              <button type="button" className="zx-link zx-ws-hit-q" onClick={() => setViewing(hit.id)}>
                {hit.question}
              </button>
              {hit.audience === 'staff' && (
                <Tag color="orange" style={{ marginInlineStart: 6 }}>
                  {t('entry.staffOnly')}
                </Tag>
              )}
              {hit.snippet && (
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '2px 0', fontSize: 12 }}>
                  {hit.snippet}
                </Typography.Paragraph>
              )}
              <div className="zx-ws-hit-actions">
                <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                  {hit.categoryPath}
                </Typography.Text>
                <Space size={4}>
                  <Button size="small" type="text" icon={<EyeOutlined />} onClick={() => setViewing(hit.id)}>
                    {t('ws.view')}
                  </Button>
                  {onInsert && (
                    <Button size="small" icon={<EnterOutlined />} loading={busyId === hit.id} onClick={() => void insert(hit.id)} data-testid="ws-kb-insert" data-entry={hit.id}>
                      {t('ws.insert')}
                    </Button>
                  )}
                </Space>
              </div>
            </div>
          ))
        )}
      </div>
      <EntryDrawer id={viewing} onClose={() => setViewing(null)} onInsert={onInsert} onPick={setViewing} onPropose={(entry) => setProposal({ entry })} />
      <Drawer title={t('ws.proposeTitle')} size={560} open={proposal !== null} onClose={() => setProposal(null)} destroyOnHidden>
        {proposal && <ProposeForm entry={proposal.entry} onDone={() => setProposal(null)} />}
      </Drawer>
    </div>
  );
}

/** One entry in full, with insert and propose-an-edit; related entries open in the same drawer. */
export function EntryDrawer({
  id,
  onClose,
  onInsert,
  onPick,
  onPropose,
}: {
  id: string | null;
  onClose: () => void;
  onInsert?: InsertAnswer;
  onPick: (id: string) => void;
  onPropose?: (entry: ServedEntry) => void;
}) {
  const { t } = useI18n();
  return (
    <Drawer title={t('ws.entry')} size={620} open={id !== null} onClose={onClose} destroyOnHidden>
      {id && <EntryDetail id={id} onInsert={onInsert ? (text, entryId) => (onInsert(text, entryId), onClose()) : undefined} onPick={onPick} onPropose={onPropose} />}
    </Drawer>
  );
}

function EntryDetail({ id, onInsert, onPick, onPropose }: { id: string; onInsert?: InsertAnswer; onPick: (id: string) => void; onPropose?: (entry: ServedEntry) => void }) {
  const { t } = useI18n();
  const { data: entry, error, isLoading } = useLoad(() => kb.entry(id), [id]);
  if (isLoading && !entry) return <PageSpin />;
  if (error || !entry) return <ErrorAlert error={error} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap>
        <Tag>{entry.id}</Tag>
        {onInsert && (
          <Button type="primary" icon={<EnterOutlined />} onClick={() => onInsert(entry.answer, entry.id)} data-testid="ws-entry-insert">
            {t('ws.insertAnswer')}
          </Button>
        )}
        {onPropose && (
          <Button icon={<EditOutlined />} onClick={() => onPropose(entry)} data-testid="propose-edit">
            {t('ws.proposeEdit')}
          </Button>
        )}
      </Space>
      <EntryBody entry={entry} />
      <div
        onClickCapture={(e) => {
          const a = (e.target as HTMLElement).closest('a');
          const href = a?.getAttribute('href');
          if (href?.startsWith('/kb/')) {
            e.preventDefault();
            onPick(decodeURIComponent(href.slice(4)));
          }
        }}
      >
        <RelatedEntries entryId={entry.id} linkTo={(rid) => `/kb/${encodeURIComponent(rid)}`} />
      </div>
    </Space>
  );
}
