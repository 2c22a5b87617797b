import { DeleteOutlined, PhoneOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Col, Empty, Form, Input, InputNumber, List, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { phoneApi, type CallAction, type IvrAction, type IvrNode, type IvrOption, type IvrTree, type SimulatedTurn } from '../../api/phone';
import { formatDateTime, useI18n, type MessageKey } from '../../i18n';
import { ErrorAlert, PageSpin, useLoad } from '../../shell/common';

const DIGITS: IvrOption['digit'][] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
const ACTION_TYPES: IvrAction['type'][] = ['menu', 'entry', 'robot', 'queue', 'callback', 'repeat', 'back', 'hangup'];

/** The phone line in the console: the IVR menu tree, a simulator, agents' extensions and the callback threshold. */
export function IvrPage() {
  const { t, lang } = useI18n();
  const loaded = useLoad(() => phoneApi.ivr(), []);
  const [draft, setDraft] = useState<IvrTree | null>(null);
  useEffect(() => {
    if (loaded.data) setDraft(structuredClone(loaded.data.tree));
  }, [loaded.data]);

  if (loaded.error) return <ErrorAlert error={loaded.error} />;
  if (!loaded.data || !draft) return <PageSpin />;
  const saved = loaded.data;
  const isDirty = JSON.stringify(draft) !== JSON.stringify(saved.tree);

  return (
    <Card
      title={
        <Space>
          <PhoneOutlined />
          {t('ivr.title')}
        </Space>
      }
      extra={<Typography.Text type="secondary">{t('ivr.version', { v: saved.version, by: saved.savedBy, at: formatDateTime(saved.savedAt, lang) })}</Typography.Text>}
    >
      <Typography.Paragraph type="secondary">{t('ivr.help')}</Typography.Paragraph>
      <Tabs
        items={[
          {
            key: 'menu',
            label: (
              <span data-testid="ivr-tab-menu">
                {t('ivr.tab.menu')} {isDirty && <Tag color="orange">{t('ivr.unsaved')}</Tag>}
              </span>
            ),
            children: <TreeEditor draft={draft} onChange={setDraft} baseVersion={saved.version} isDirty={isDirty} onSaved={(v) => loaded.setData(v)} onRevert={() => setDraft(structuredClone(saved.tree))} />,
          },
          { key: 'simulator', label: <span data-testid="ivr-tab-simulator">{t('ivr.tab.simulator')}</span>, children: <Simulator draft={draft} isDirty={isDirty} /> },
          { key: 'extensions', label: <span data-testid="ivr-tab-extensions">{t('ivr.tab.extensions')}</span>, children: <Extensions /> },
          { key: 'settings', label: <span data-testid="ivr-tab-settings">{t('ivr.tab.settings')}</span>, children: <LineSettings /> },
        ]}
      />
    </Card>
  );
}

function TreeEditor({ draft, onChange, baseVersion, isDirty, onSaved, onRevert }: { draft: IvrTree; onChange: (tree: IvrTree) => void; baseVersion: number; isDirty: boolean; onSaved: (v: Awaited<ReturnType<typeof phoneApi.ivr>>) => void; onRevert: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [selected, setSelected] = useState(draft.rootId);
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setSaving] = useState(false);
  const skills = useLoad(() => phoneApi.skills().catch(() => ({ items: [] })), []);
  const node = draft.nodes.find((n) => n.id === selected) ?? draft.nodes[0];
  const nodeIndex = draft.nodes.indexOf(node);

  const update = (change: (tree: IvrTree) => void) => {
    const next = structuredClone(draft);
    change(next);
    onChange(next);
  };
  const updateNode = (change: (n: IvrNode) => void) => update((tree) => change(tree.nodes[nodeIndex]));

  async function save() {
    setError(null);
    setSaving(true);
    try {
      const saved = await phoneApi.saveIvr(draft, baseVersion);
      message.success(t('ivr.saved', { v: saved.version }));
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  function addNode() {
    let n = draft.nodes.length;
    while (draft.nodes.some((x) => x.id === `menu${n}`)) n++;
    const id = `menu${n}`;
    update((tree) => tree.nodes.push({ id, prompt: '', options: [{ digit: '*', label: '返回上级菜单', keywords: ['返回'], action: { type: 'back' } }] }));
    setSelected(id);
  }

  return (
    <div>
      <ErrorAlert error={error} />
      <Form layout="vertical">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label={t('ivr.greeting')}>
              <Input.TextArea rows={2} maxLength={500} value={draft.greeting} onChange={(e) => update((tree) => (tree.greeting = e.target.value))} data-testid="ivr-greeting" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('ivr.closedNotice')}>
              <Input.TextArea rows={2} maxLength={500} value={draft.closedNotice} onChange={(e) => update((tree) => (tree.closedNotice = e.target.value))} data-testid="ivr-closed-notice" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Typography.Text strong>{t('ivr.nodes')}</Typography.Text>
          <List
            size="small"
            bordered
            style={{ marginTop: 8 }}
            dataSource={draft.nodes}
            renderItem={(n) => (
              <List.Item
                onClick={() => setSelected(n.id)}
                style={{ cursor: 'pointer', background: n.id === node.id ? '#e6f4ff' : undefined }}
                data-testid={`ivr-node-${n.id}`}
              >
                <Space>
                  <Typography.Text code>{n.id}</Typography.Text>
                  {n.id === draft.rootId && <Tag color="blue">{t('ivr.root')}</Tag>}
                </Space>
              </List.Item>
            )}
          />
          <Button block icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={addNode} data-testid="ivr-add-node">
            {t('ivr.addNode')}
          </Button>
        </Col>
        <Col xs={24} md={18}>
          <Form layout="vertical">
            <Space align="end" wrap>
              <Form.Item label={t('ivr.nodeId')}>
                <Input
                  value={node.id}
                  maxLength={64}
                  style={{ width: 200 }}
                  onChange={(e) => {
                    const id = e.target.value.trim();
                    const old = node.id;
                    update((tree) => {
                      tree.nodes[nodeIndex].id = id;
                      if (tree.rootId === old) tree.rootId = id;
                      for (const n of tree.nodes) for (const o of n.options) if (o.action.type === 'menu' && o.action.nodeId === old) o.action.nodeId = id;
                    });
                    setSelected(id);
                  }}
                  data-testid="ivr-node-id"
                />
              </Form.Item>
              {node.id !== draft.rootId && (
                <Form.Item>
                  <Button
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => {
                      update((tree) => tree.nodes.splice(nodeIndex, 1));
                      setSelected(draft.rootId);
                    }}
                  >
                    {t('ivr.deleteNode')}
                  </Button>
                </Form.Item>
              )}
            </Space>
            <Form.Item label={t('ivr.prompt')}>
              <Input.TextArea rows={2} maxLength={500} value={node.prompt} onChange={(e) => updateNode((n) => (n.prompt = e.target.value))} data-testid="ivr-prompt" />
            </Form.Item>
          </Form>
          <Table<IvrOption>
            rowKey={(o) => `${node.id}-${node.options.indexOf(o)}`}
            size="small"
            pagination={false}
            dataSource={node.options}
            title={() => <Typography.Text strong>{t('ivr.options')}</Typography.Text>}
            columns={[
              {
                title: t('ivr.digit'),
                width: 80,
                render: (_, o, i) => <Select size="small" value={o.digit} options={DIGITS.map((d) => ({ value: d, label: d }))} onChange={(d) => updateNode((n) => (n.options[i].digit = d))} style={{ width: 64 }} />,
              },
              {
                title: t('ivr.label'),
                width: 150,
                render: (_, o, i) => <Input size="small" value={o.label} maxLength={40} onChange={(e) => updateNode((n) => (n.options[i].label = e.target.value))} />,
              },
              {
                title: t('ivr.keywords'),
                width: 180,
                render: (_, o, i) => <Select size="small" mode="tags" value={o.keywords} onChange={(k: string[]) => updateNode((n) => (n.options[i].keywords = k))} style={{ width: '100%' }} open={false} tokenSeparators={[',', '，', ' ']} />,
              },
              {
                title: t('ivr.action'),
                width: 150,
                render: (_, o, i) => (
                  <Select
                    size="small"
                    value={o.action.type}
                    style={{ width: 140 }}
                    options={ACTION_TYPES.map((a) => ({ value: a, label: t(`ivr.action.${a}` as MessageKey) }))}
                    onChange={(type) => updateNode((n) => (n.options[i].action = defaultAction(type, draft, node.id)))}
                  />
                ),
              },
              {
                title: t('ivr.target'),
                render: (_, o, i) => <ActionTarget action={o.action} nodes={draft.nodes.filter((n) => n.id !== node.id && n.id !== draft.rootId)} skills={skills.data?.items ?? []} onChange={(a) => updateNode((n) => (n.options[i].action = a))} />,
              },
              {
                width: 40,
                render: (_, _o, i) => <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => updateNode((n) => n.options.splice(i, 1))} />,
              },
            ]}
          />
          <Button
            size="small"
            icon={<PlusOutlined />}
            style={{ marginTop: 8 }}
            onClick={() => updateNode((n) => n.options.push({ digit: DIGITS.find((d) => !n.options.some((o) => o.digit === d)) ?? '1', label: '', keywords: [], action: { type: 'repeat' } }))}
            data-testid="ivr-add-option"
          >
            {t('ivr.addOption')}
          </Button>
        </Col>
      </Row>
      <Space style={{ marginTop: 16 }}>
        <Button type="primary" onClick={() => void save()} loading={isSaving} disabled={!isDirty} data-testid="ivr-save">
          {t('ivr.save')}
        </Button>
        <Button onClick={onRevert} disabled={!isDirty}>
          {t('ivr.revert')}
        </Button>
      </Space>
    </div>
  );
}

/** A fresh action of a type, pointing somewhere sensible. */
function defaultAction(type: IvrAction['type'], tree: IvrTree, from: string): IvrAction {
  if (type === 'menu') return { type, nodeId: tree.nodes.find((n) => n.id !== from && n.id !== tree.rootId)?.id ?? '' };
  if (type === 'entry') return { type, entryId: '' };
  if (type === 'queue') return { type, skill: null };
  return { type } as IvrAction;
}

function ActionTarget({ action, nodes, skills, onChange }: { action: IvrAction; nodes: IvrNode[]; skills: { id: string; name: string }[]; onChange: (a: IvrAction) => void }) {
  const { t } = useI18n();
  if (action.type === 'menu') {
    return <Select size="small" value={action.nodeId || undefined} style={{ width: 160 }} options={nodes.map((n) => ({ value: n.id, label: n.id }))} onChange={(nodeId) => onChange({ type: 'menu', nodeId })} />;
  }
  if (action.type === 'entry') {
    return <Input size="small" value={action.entryId} placeholder={t('ivr.entryId')} style={{ width: 200 }} onChange={(e) => onChange({ type: 'entry', entryId: e.target.value.trim() })} />;
  }
  if (action.type === 'queue') {
    return (
      <Select
        size="small"
        value={action.skill ?? ''}
        style={{ width: 160 }}
        options={[{ value: '', label: t('ivr.anySkill') }, ...skills.map((s) => ({ value: s.id, label: s.name }))]}
        onChange={(skill) => onChange({ type: 'queue', skill: skill || null })}
      />
    );
  }
  return null;
}

/** Press keys or say words; the whole call so far is replayed by the server's engine after every step. */
function Simulator({ draft, isDirty }: { draft: IvrTree; isDirty: boolean }) {
  const { t } = useI18n();
  const [inputs, setInputs] = useState<{ digits?: string; text?: string }[]>([]);
  const [useDraft, setUseDraft] = useState(true);
  const [isClosed, setClosed] = useState(false);
  const [waitSeconds, setWaitSeconds] = useState(60);
  const [words, setWords] = useState('');
  const [turns, setTurns] = useState<SimulatedTurn[]>([]);
  const [error, setError] = useState<unknown>(null);
  const body = useMemo(() => ({ ...(useDraft && isDirty ? { tree: draft } : {}), inputs, isClosed, waitSeconds }), [useDraft, isDirty, draft, inputs, isClosed, waitSeconds]);
  useEffect(() => {
    let isCurrent = true;
    phoneApi
      .simulate(body)
      .then((r) => isCurrent && (setTurns(r.turns), setError(null)))
      .catch((err) => isCurrent && setError(err));
    return () => {
      isCurrent = false;
    };
  }, [body]);
  const hasEnded = turns.at(-1)?.state === 'ended';

  return (
    <div>
      <Typography.Paragraph type="secondary">{t('ivr.sim.help')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Checkbox checked={useDraft} onChange={(e) => setUseDraft(e.target.checked)}>
          {t('ivr.sim.draft')}
        </Checkbox>
        <Checkbox checked={isClosed} onChange={(e) => setClosed(e.target.checked)} data-testid="ivr-sim-closed">
          {t('ivr.sim.closed')}
        </Checkbox>
        <span>
          {t('ivr.sim.wait')} <InputNumber size="small" min={0} max={86400} value={waitSeconds} onChange={(v) => setWaitSeconds(typeof v === 'number' ? v : 0)} />
        </span>
        <Button size="small" icon={<ReloadOutlined />} onClick={() => setInputs([])} data-testid="ivr-sim-reset">
          {t('ivr.sim.reset')}
        </Button>
      </Space>
      <ErrorAlert error={error} />
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 56px)', gap: 8, marginBottom: 12 }}>
            {DIGITS.slice(0, 9).concat(['*', '0', '#']).map((d) => (
              <Button key={d} size="large" disabled={hasEnded} onClick={() => setInputs([...inputs, { digits: d }])} data-testid={`ivr-sim-key-${d}`}>
                {d}
              </Button>
            ))}
          </div>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              value={words}
              placeholder={t('ivr.sim.say')}
              disabled={hasEnded}
              onChange={(e) => setWords(e.target.value)}
              onPressEnter={() => {
                if (!words.trim()) return;
                setInputs([...inputs, { text: words.trim() }]);
                setWords('');
              }}
              data-testid="ivr-sim-words"
            />
          </Space.Compact>
          <Button size="small" style={{ marginTop: 8 }} disabled={hasEnded} onClick={() => setInputs([...inputs, {}])}>
            {t('ivr.sim.silence')}
          </Button>
        </Col>
        <Col xs={24} md={16}>
          {turns.length ? (
            <List
              size="small"
              bordered
              dataSource={turns}
              data-testid="ivr-sim-turns"
              renderItem={(turn) => (
                <List.Item>
                  <div>
                    <Tag>{turn.input}</Tag>
                    {turn.actions.map((a, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a simulated turn's actions, shown in order, never reordered
                      <ActionLine key={i} action={a} />
                    ))}
                  </div>
                </List.Item>
              )}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          )}
        </Col>
      </Row>
    </div>
  );
}

function ActionLine({ action }: { action: CallAction }) {
  const { t } = useI18n();
  if ('say' in action) return <div>🔊 {action.say}</div>;
  if ('collect' in action) return <Typography.Text type="secondary">⌨ {t('ivr.sim.listen', { speech: action.collect.speech ? t('ivr.sim.speechToo') : '' })}</Typography.Text>;
  if ('queue' in action) return <Tag color="gold">{t('ivr.sim.queue', { position: action.queue.position, wait: action.queue.estimatedWaitSeconds })}</Tag>;
  if ('bridge' in action) return <Tag color="green">{t('ivr.sim.bridge', { name: action.bridge.agentName })}</Tag>;
  return <Tag color="red">{t('ivr.sim.hangup')}</Tag>;
}

function Extensions() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const agents = useLoad(() => phoneApi.agents(), []);
  const extensions = useLoad(() => phoneApi.extensions(), []);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const current = new Map((extensions.data?.items ?? []).map((e) => [e.userId, e.extension]));

  async function save(userId: string) {
    setError(null);
    try {
      const value = (edits[userId] ?? '').trim();
      if (value) await phoneApi.setExtension(userId, value);
      else await phoneApi.removeExtension(userId);
      message.success(t('ivr.ext.saved'));
      extensions.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div>
      <Typography.Paragraph type="secondary">{t('ivr.ext.help')}</Typography.Paragraph>
      <ErrorAlert error={agents.error || extensions.error || error} />
      <Table<{ userId: string; name: string }>
        rowKey="userId"
        size="small"
        pagination={false}
        loading={agents.isLoading || extensions.isLoading}
        dataSource={agents.data?.items ?? []}
        columns={[
          { title: t('ivr.ext.agent'), dataIndex: 'name', width: 200 },
          {
            title: t('ivr.ext.extension'),
            render: (_, a) => (
              <Space.Compact>
                <Input
                  size="small"
                  style={{ width: 120 }}
                  maxLength={20}
                  value={edits[a.userId] ?? current.get(a.userId) ?? ''}
                  onChange={(e) => setEdits({ ...edits, [a.userId]: e.target.value })}
                  data-testid={`ivr-ext-${a.userId}`}
                />
                <Button size="small" onClick={() => void save(a.userId)} disabled={edits[a.userId] === undefined}>
                  {t('common.save')}
                </Button>
              </Space.Compact>
            ),
          },
        ]}
      />
    </div>
  );
}

function LineSettings() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, error, setData } = useLoad(() => phoneApi.settings(), []);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [threshold, setThreshold] = useState<number | null>(null);
  const value = threshold ?? data?.callbackThresholdSeconds ?? 300;

  async function save() {
    setSaveError(null);
    try {
      setData(await phoneApi.saveSettings({ callbackThresholdSeconds: value }));
      setThreshold(null);
      message.success(t('ivr.settings.saved'));
    } catch (err) {
      setSaveError(err);
    }
  }

  return (
    <Form layout="vertical" style={{ maxWidth: 420 }}>
      <ErrorAlert error={error || saveError} />
      <Form.Item label={t('ivr.settings.threshold')}>
        <InputNumber min={0} max={86400} step={60} value={value} onChange={(v) => setThreshold(typeof v === 'number' ? v : 0)} data-testid="ivr-threshold" />
      </Form.Item>
      <Button type="primary" onClick={() => void save()} data-testid="ivr-settings-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}
