import { DeleteOutlined, EditOutlined, MessageOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Card, Checkbox, Divider, Drawer, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { kb, rules } from '../../api/endpoints';
import type { MaybeText } from '../../api/types';
import { wechat, type WechatAccount, type WechatAccountPatch, type WechatLink, type WechatMenuItem } from '../../api/wechat';
import { useI18n } from '../../i18n';
import { ErrorAlert, useLoad } from '../../shell/common';

type Editing = { kind: 'account'; account?: WechatAccount } | { kind: 'replies'; account: WechatAccount } | null;

/** WeChat official accounts: the callback address to paste into WeChat, the account's keys, its welcome and menu clicks. */
export function WechatAccountsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { data, error, isLoading, reload } = useLoad(() => wechat.list(), []);
  const [editing, setEditing] = useState<Editing>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  async function remove(account: WechatAccount) {
    setActionError(null);
    try {
      await wechat.remove(account.id);
      message.success(t('wechat.deleted'));
      reload();
    } catch (err) {
      setActionError(err);
    }
  }

  const close = (changed: boolean, note?: string) => {
    setEditing(null);
    if (changed) {
      message.success(note ?? t('wechat.saved'));
      reload();
    }
  };

  return (
    <Card
      title={t('wechat.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'account' })} data-testid="wechat-add">
          {t('wechat.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('wechat.help')}</Typography.Paragraph>
      <ErrorAlert error={error ?? actionError} />
      <Table<WechatAccount>
        rowKey="id"
        size="middle"
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('wechat.none') }}
        columns={[
          { title: t('wechat.name'), dataIndex: 'name', width: 170 },
          { title: 'AppID', dataIndex: 'appId', width: 180, render: (appId: string) => <Typography.Text code>{appId}</Typography.Text> },
          {
            title: t('wechat.mode'),
            dataIndex: 'hasEncodingAESKey',
            width: 130,
            render: (isSafe: boolean) => (isSafe ? <Tag color="green">{t('wechat.modeSafe')}</Tag> : <Tag>{t('wechat.modePlain')}</Tag>),
          },
          {
            title: t('wechat.callbackUrl'),
            dataIndex: 'callbackUrl',
            render: (url: string, account) => (
              <Typography.Paragraph copyable code style={{ marginBottom: 0, wordBreak: 'break-all' }} data-testid={`wechat-callback-${account.id}`}>
                {url}
              </Typography.Paragraph>
            ),
          },
          {
            title: '',
            width: 270,
            render: (_, account) => (
              <Space size="small" wrap>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ kind: 'account', account })} data-testid={`wechat-edit-${account.id}`}>
                  {t('wechat.edit')}
                </Button>
                <Button size="small" icon={<MessageOutlined />} onClick={() => setEditing({ kind: 'replies', account })} data-testid={`wechat-replies-${account.id}`}>
                  {t('wechat.replies')}
                </Button>
                <Popconfirm title={t('wechat.deleteConfirm', { name: account.name })} onConfirm={() => void remove(account)} okButtonProps={{ danger: true, 'data-testid': 'wechat-delete-confirm' } as ButtonProps}>
                  <Button size="small" danger icon={<DeleteOutlined />} data-testid={`wechat-delete-${account.id}`}>
                    {t('wechat.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        title={editing?.kind === 'replies' ? `${t('wechat.replies')} · ${editing.account.name}` : editing?.account ? `${t('wechat.edit')} · ${editing.account.name}` : t('wechat.add')}
        size={620}
        open={editing !== null}
        onClose={() => close(false)}
        destroyOnHidden
      >
        {editing?.kind === 'account' && <AccountForm account={editing.account} onDone={(changed) => close(changed, editing.account ? undefined : t('wechat.created'))} />}
        {editing?.kind === 'replies' && <RepliesForm account={editing.account} onChanged={reload} />}
      </Drawer>
    </Card>
  );
}

interface AccountValues {
  name: string;
  appId: string;
  appSecret?: string;
  token?: string;
  encodingAESKey?: string;
  removeAESKey?: boolean;
  apiBaseUrl?: string;
}

/** Adds an account, or changes one: secrets left empty on a change are kept. */
function AccountForm({ account, onDone }: { account?: WechatAccount; onDone: (changed: boolean) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<AccountValues>();
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const isNew = !account;
  const removeAESKey = Form.useWatch('removeAESKey', form);

  async function save() {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    const blank = (s?: string) => (s?.trim() ? s.trim() : undefined);
    try {
      if (isNew) {
        await wechat.create({ name: v.name.trim(), appId: v.appId.trim(), appSecret: v.appSecret!.trim(), token: v.token!.trim(), encodingAESKey: blank(v.encodingAESKey), apiBaseUrl: blank(v.apiBaseUrl) });
      } else {
        const patch: WechatAccountPatch = { name: v.name.trim(), appId: v.appId.trim(), appSecret: blank(v.appSecret), token: blank(v.token), apiBaseUrl: blank(v.apiBaseUrl) };
        if (v.removeAESKey) patch.encodingAESKey = null;
        else if (blank(v.encodingAESKey)) patch.encodingAESKey = blank(v.encodingAESKey);
        await wechat.update(account.id, patch);
      }
      onDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const secretRules = isNew ? [{ required: true, whitespace: true }] : [];
  const keepHint = isNew ? undefined : t('wechat.keepSecret');
  return (
    <>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" initialValues={account ? { name: account.name, appId: account.appId, apiBaseUrl: account.apiBaseUrl } : undefined}>
        <Form.Item name="name" label={t('wechat.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} data-testid="wechat-name" />
        </Form.Item>
        <Form.Item name="appId" label={t('wechat.appId')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={64} placeholder="wx…" data-testid="wechat-app-id" />
        </Form.Item>
        <Form.Item name="appSecret" label={t('wechat.appSecret')} rules={secretRules}>
          <Input.Password maxLength={128} placeholder={keepHint} autoComplete="new-password" data-testid="wechat-app-secret" />
        </Form.Item>
        <Form.Item name="token" label={t('wechat.token')} extra={t('wechat.tokenHelp')} rules={[...secretRules, { pattern: /^[A-Za-z0-9]{3,32}$/, message: t('wechat.tokenHelp') }]}>
          <Input.Password maxLength={32} placeholder={keepHint} autoComplete="new-password" data-testid="wechat-token" />
        </Form.Item>
        <Form.Item
          name="encodingAESKey"
          label={t('wechat.encodingAESKey')}
          extra={t('wechat.encodingAESKeyHelp')}
          rules={[{ pattern: /^[A-Za-z0-9+/]{43}$/, message: t('wechat.encodingAESKeyHelp') }]}
        >
          <Input.Password maxLength={43} disabled={Boolean(removeAESKey)} placeholder={account?.hasEncodingAESKey ? keepHint : undefined} autoComplete="new-password" data-testid="wechat-aes-key" />
        </Form.Item>
        {account?.hasEncodingAESKey && (
          <Form.Item name="removeAESKey" valuePropName="checked">
            <Checkbox data-testid="wechat-remove-aes-key">{t('wechat.removeAESKey')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item name="apiBaseUrl" label={t('wechat.apiBaseUrl')} extra={t('wechat.apiBaseUrlHelp')}>
          <Input maxLength={300} placeholder="https://api.weixin.qq.com" data-testid="wechat-api-base-url" />
        </Form.Item>
        <Button type="primary" loading={isBusy} onClick={() => void save()} data-testid="wechat-save">
          {t('wechat.save')}
        </Button>
      </Form>
    </>
  );
}

const textOf = (v: MaybeText | undefined, lang: string) => (typeof v === 'string' ? v : ((lang === 'en' ? v?.en : v?.zh) ?? v?.zh ?? v?.en ?? ''));

interface MenuRow {
  key: string;
  kind: 'entry' | 'calculator';
  target: string;
}

/** The welcome new followers get, and what each menu CLICK key opens. */
function RepliesForm({ account: initial, onChanged }: { account: WechatAccount; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [account, setAccount] = useState(initial);
  const [welcomeForm] = Form.useForm<{ isDefault: boolean; text?: string; links: WechatLink[] }>();
  const [menuForm] = Form.useForm<{ items: MenuRow[] }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'welcome' | 'menu' | null>(null);
  const isDefault = Form.useWatch('isDefault', welcomeForm);
  const { data: ruleSets } = useLoad(() => rules.list(lang), [lang]);
  const calculators = (Array.isArray(ruleSets) ? ruleSets : (ruleSets?.items ?? [])).map((r) => ({ value: r.id, label: textOf(r.name ?? r.title, lang) || r.id }));

  async function run(which: 'welcome' | 'menu', action: () => Promise<WechatAccount>) {
    setBusy(which);
    setError(null);
    try {
      setAccount(await action());
      message.success(t('wechat.saved'));
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  async function saveWelcome() {
    const v = await welcomeForm.validateFields();
    await run('welcome', () => wechat.setWelcome(account.id, v.isDefault ? { text: null, links: [] } : { text: (v.text ?? '').trim(), links: (v.links ?? []).map((l) => ({ title: l.title.trim(), url: l.url.trim() })) }));
  }

  async function saveMenu() {
    const v = await menuForm.validateFields();
    const items: WechatMenuItem[] = (v.items ?? []).map((r) => (r.kind === 'entry' ? { key: r.key.trim(), entryId: r.target } : { key: r.key.trim(), rulesetId: r.target }));
    await run('menu', () => wechat.setMenu(account.id, items));
  }

  return (
    <>
      <ErrorAlert error={error} />
      <Typography.Title level={5}>{t('wechat.welcome')}</Typography.Title>
      <Form
        form={welcomeForm}
        layout="vertical"
        initialValues={{ isDefault: account.welcome.isDefault, text: account.welcome.text ?? '', links: account.welcome.links }}
      >
        <Form.Item name="isDefault" valuePropName="checked">
          <Checkbox data-testid="wechat-welcome-default">{t('wechat.welcomeDefault')}</Checkbox>
        </Form.Item>
        {!isDefault && (
          <>
            <Form.Item name="text" label={t('wechat.welcomeText')} rules={[{ required: true, whitespace: true }]}>
              <Input.TextArea rows={4} maxLength={500} showCount data-testid="wechat-welcome-text" />
            </Form.Item>
            <Form.List name="links">
              {(fields, { add, remove }) => (
                <Form.Item label={t('wechat.welcomeLinks')}>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                      <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true }]}>
                        <Input placeholder={t('wechat.linkTitle')} maxLength={30} style={{ width: 150 }} data-testid={`wechat-link-title-${f.name}`} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'url']} rules={[{ required: true, type: 'url' }]}>
                        <Input placeholder="https://" maxLength={300} style={{ width: 320 }} data-testid={`wechat-link-url-${f.name}`} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('wechat.remove')} />
                    </Space>
                  ))}
                  {fields.length < 5 && (
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '', url: '' })} data-testid="wechat-add-link">
                      {t('wechat.addLink')}
                    </Button>
                  )}
                </Form.Item>
              )}
            </Form.List>
          </>
        )}
        <Typography.Text type="secondary">{t('wechat.preview')}</Typography.Text>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', background: '#f5f5f5', padding: 8, borderRadius: 4 }} data-testid="wechat-welcome-preview">
          {account.welcome.preview}
        </Typography.Paragraph>
        <Button type="primary" loading={busy === 'welcome'} onClick={() => void saveWelcome()} data-testid="wechat-save-welcome">
          {t('wechat.saveWelcome')}
        </Button>
      </Form>

      <Divider />
      <Typography.Title level={5}>{t('wechat.menu')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('wechat.menuHelp')}</Typography.Paragraph>
      <Form
        form={menuForm}
        layout="vertical"
        initialValues={{ items: account.menu.map((m): MenuRow => ('entryId' in m ? { key: m.key, kind: 'entry', target: m.entryId } : { key: m.key, kind: 'calculator', target: m.rulesetId })) }}
      >
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }} wrap>
                  <Form.Item name={[f.name, 'key']} rules={[{ required: true, whitespace: true }]}>
                    <Input placeholder={t('wechat.menuKey')} maxLength={128} style={{ width: 140 }} data-testid={`wechat-menu-key-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'kind']} initialValue="entry">
                    <Select
                      style={{ width: 120 }}
                      options={[
                        { value: 'entry', label: t('wechat.kindEntry') },
                        { value: 'calculator', label: t('wechat.kindCalculator') },
                      ]}
                      onChange={() => menuForm.setFieldValue(['items', f.name, 'target'], undefined)}
                      data-testid={`wechat-menu-kind-${f.name}`}
                    />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() =>
                      menuForm.getFieldValue(['items', f.name, 'kind']) === 'calculator' ? (
                        <Form.Item name={[f.name, 'target']} rules={[{ required: true }]}>
                          <Select style={{ width: 230 }} placeholder={t('wechat.pickCalculator')} options={calculators} data-testid={`wechat-menu-target-${f.name}`} />
                        </Form.Item>
                      ) : (
                        <Form.Item name={[f.name, 'target']} rules={[{ required: true }]}>
                          <EntryPicker data-testid={`wechat-menu-target-${f.name}`} />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} aria-label={t('wechat.remove')} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ key: '', kind: 'entry' })} style={{ marginBottom: 16 }} data-testid="wechat-add-menu-item">
                {t('wechat.addMenuItem')}
              </Button>
            </>
          )}
        </Form.List>
        <div>
          <Button type="primary" loading={busy === 'menu'} onClick={() => void saveMenu()} data-testid="wechat-save-menu">
            {t('wechat.saveMenu')}
          </Button>
        </div>
      </Form>
    </>
  );
}

/** A public knowledge entry, found by searching its question; shows the id of one already chosen. */
function EntryPicker({ value, onChange, ...rest }: { value?: string; onChange?: (id: string) => void; 'data-testid'?: string }) {
  const { t } = useI18n();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    if (!value) return;
    let isCurrent = true;
    kb.entry(value)
      .then((e) => isCurrent && setOptions((o) => (o.some((x) => x.value === e.id) ? o : [{ value: e.id, label: `${e.id} · ${e.question}` }, ...o])))
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [value]);
  async function search(q: string) {
    if (!q.trim()) return;
    const hits = await kb.search(q, undefined, 10).catch(() => undefined);
    if (hits) setOptions(hits.items.map((h) => ({ value: h.id, label: `${h.id} · ${h.question}` })));
  }
  return (
    <Select
      showSearch
      filterOption={false}
      style={{ width: 230 }}
      placeholder={t('wechat.searchEntry')}
      value={value}
      onChange={onChange}
      onSearch={(q) => void search(q)}
      options={options}
      data-testid={rest['data-testid']}
    />
  );
}
