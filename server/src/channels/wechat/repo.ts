import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../../platform/database';
import { nowIso } from '../../platform/ids';

/** A menu CLICK key and what it opens: a public knowledge entry or a calculator. */
export type MenuItem = { key: string; entryId: string } | { key: string; rulesetId: string };
export interface WelcomeLink {
  title: string;
  url: string;
}

/** An official account as stored: its secrets stay sealed until a use case opens one. */
export interface WechatAccount {
  id: string;
  name: string;
  appId: string;
  appSecretSealed: string;
  tokenSealed: string;
  encodingAESKeySealed: string | null;
  apiBaseUrl: string;
  /** null: the default welcome */
  welcomeText: string | null;
  welcomeLinks: WelcomeLink[];
  menu: MenuItem[];
  accessTokenSealed: string | null;
  accessTokenExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const toAccount = (r: any): WechatAccount => ({
  id: r.id,
  name: r.name,
  appId: r.app_id,
  appSecretSealed: r.app_secret_sealed,
  tokenSealed: r.token_sealed,
  encodingAESKeySealed: r.encoding_aes_key_sealed ?? null,
  apiBaseUrl: r.api_base_url,
  welcomeText: r.welcome_text ?? null,
  welcomeLinks: fromJson<WelcomeLink[]>(r.welcome_links, []),
  menu: fromJson<MenuItem[]>(r.menu, []),
  accessTokenSealed: r.access_token_sealed ?? null,
  accessTokenExpiresAt: r.access_token_expires_at ?? null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The columns a use case may change, by their model names. */
export type AccountPatch = Partial<Pick<WechatAccount, 'name' | 'appId' | 'appSecretSealed' | 'tokenSealed' | 'encodingAESKeySealed' | 'apiBaseUrl' | 'welcomeText' | 'welcomeLinks' | 'menu' | 'accessTokenSealed' | 'accessTokenExpiresAt'>>;

const COLUMN: Record<keyof AccountPatch, string> = {
  name: 'name',
  appId: 'app_id',
  appSecretSealed: 'app_secret_sealed',
  tokenSealed: 'token_sealed',
  encodingAESKeySealed: 'encoding_aes_key_sealed',
  apiBaseUrl: 'api_base_url',
  welcomeText: 'welcome_text',
  welcomeLinks: 'welcome_links',
  menu: 'menu',
  accessTokenSealed: 'access_token_sealed',
  accessTokenExpiresAt: 'access_token_expires_at',
};

const JSON_COLUMNS = new Set<keyof AccountPatch>(['welcomeLinks', 'menu']);

/** The WeChat channel's queries. */
export function wechatRepo(db: Kysely<any>) {
  return {
    async insertAccount(a: Omit<WechatAccount, 'accessTokenSealed' | 'accessTokenExpiresAt'>) {
      await db
        .insertInto('wechat_accounts')
        .values({
          id: a.id,
          name: a.name,
          app_id: a.appId,
          app_secret_sealed: a.appSecretSealed,
          token_sealed: a.tokenSealed,
          encoding_aes_key_sealed: a.encodingAESKeySealed,
          api_base_url: a.apiBaseUrl,
          welcome_text: a.welcomeText,
          welcome_links: toJson(a.welcomeLinks),
          menu: toJson(a.menu),
          access_token_sealed: null,
          access_token_expires_at: null,
          created_at: a.createdAt,
          updated_at: a.updatedAt,
        })
        .execute();
    },

    async getAccount(id: string): Promise<WechatAccount | undefined> {
      const row = await db.selectFrom('wechat_accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toAccount(row) : undefined;
    },

    async listAccounts(): Promise<WechatAccount[]> {
      const rows = await db.selectFrom('wechat_accounts').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toAccount);
    },

    async updateAccount(id: string, patch: AccountPatch) {
      const values: Record<string, unknown> = { updated_at: nowIso() };
      for (const [key, value] of Object.entries(patch) as [keyof AccountPatch, unknown][]) {
        if (value === undefined) continue;
        values[COLUMN[key]] = JSON_COLUMNS.has(key) ? toJson(value) : value;
      }
      await db.updateTable('wechat_accounts').set(values).where('id', '=', id).execute();
    },

    /** Stores a freshly fetched access token (sealed) for every instance to use. */
    async setAccessToken(id: string, sealed: string, expiresAt: string) {
      await db.updateTable('wechat_accounts').set({ access_token_sealed: sealed, access_token_expires_at: expiresAt }).where('id', '=', id).execute();
    },

    /** Takes the right to fetch a new token until `until`, unless another instance holds it: true when taken. */
    async claimTokenRefresh(id: string, until: string, now: string): Promise<boolean> {
      const claimed = await db
        .updateTable('wechat_accounts')
        .set({ token_refresh_until: until })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('token_refresh_until', 'is', null), eb('token_refresh_until', '<', now)]))
        .executeTakeFirst();
      return Number(claimed.numUpdatedRows) > 0;
    },
    async releaseTokenRefresh(id: string) {
      await db.updateTable('wechat_accounts').set({ token_refresh_until: null }).where('id', '=', id).execute();
    },

    /** Forgets the access token, unless another instance has replaced it meanwhile. */
    async clearAccessToken(id: string, sealed: string) {
      await db.updateTable('wechat_accounts').set({ access_token_sealed: null, access_token_expires_at: null }).where('id', '=', id).where('access_token_sealed', '=', sealed).execute();
    },

    async deleteAccount(id: string): Promise<boolean> {
      const deleted = await db.deleteFrom('wechat_accounts').where('id', '=', id).executeTakeFirst();
      await db.deleteFrom('wechat_nonces').where('account_id', '=', id).execute();
      return Number(deleted.numDeletedRows) > 0;
    },

    /** Records an accepted callback's nonce; false when the account has seen it already (a replay). */
    async recordNonce(accountId: string, nonce: string): Promise<boolean> {
      const inserted = await db
        .insertInto('wechat_nonces')
        .values({ account_id: accountId, nonce, seen_at: nowIso() })
        .onConflict((oc) => oc.columns(['account_id', 'nonce']).doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    /** Drops nonces seen before `before`: their timestamps can no longer be accepted anyway. */
    async pruneNonces(before: string): Promise<number> {
      const deleted = await db.deleteFrom('wechat_nonces').where('seen_at', '<', before).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    },
  };
}

export type WechatRepo = ReturnType<typeof wechatRepo>;
