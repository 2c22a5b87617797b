import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/database';
import { nowIso } from '../../platform/ids';

/** A QQ bot as stored: its secret and access token sealed. */
export interface QqBotRecord {
  id: string;
  name: string;
  appId: string;
  appSecretSealed: string;
  apiBaseUrl: string;
  tokenUrl: string;
  activeAllowance: number;
  accessTokenSealed: string | null;
  accessTokenExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const toBot = (row: any): QqBotRecord => ({
  id: row.id,
  name: row.name,
  appId: row.app_id,
  appSecretSealed: row.app_secret_sealed,
  apiBaseUrl: row.api_base_url,
  tokenUrl: row.token_url,
  activeAllowance: Number(row.active_allowance),
  accessTokenSealed: row.access_token_sealed ?? null,
  accessTokenExpiresAt: row.access_token_expires_at ?? null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

// a handful of writers racing for the same number is the most there can be; more means something is wrong
const MAX_NUMBERING_ATTEMPTS = 8;

/** The qq channel's queries. */
export function qqRepo(db: Kysely<any>) {
  return {
    async listBots(): Promise<QqBotRecord[]> {
      return (await db.selectFrom('qq_bots').selectAll().orderBy('created_at').orderBy('id').execute()).map(toBot);
    },
    async getBot(id: string): Promise<QqBotRecord | undefined> {
      const row = await db.selectFrom('qq_bots').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toBot(row) : undefined;
    },
    async insertBot(bot: Pick<QqBotRecord, 'id' | 'name' | 'appId' | 'appSecretSealed' | 'apiBaseUrl' | 'tokenUrl' | 'activeAllowance'>) {
      const now = nowIso();
      await db
        .insertInto('qq_bots')
        .values({
          id: bot.id,
          name: bot.name,
          app_id: bot.appId,
          app_secret_sealed: bot.appSecretSealed,
          api_base_url: bot.apiBaseUrl,
          token_url: bot.tokenUrl,
          active_allowance: bot.activeAllowance,
          access_token_sealed: null,
          access_token_expires_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    },
    /** Changes a bot's settings; a new app id or secret drops the cached access token (it belonged to the old ones). */
    async updateBot(id: string, patch: Partial<Pick<QqBotRecord, 'name' | 'appId' | 'appSecretSealed' | 'apiBaseUrl' | 'tokenUrl' | 'activeAllowance'>>) {
      const set: Record<string, unknown> = { updated_at: nowIso() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.appId !== undefined) set.app_id = patch.appId;
      if (patch.appSecretSealed !== undefined) set.app_secret_sealed = patch.appSecretSealed;
      if (patch.apiBaseUrl !== undefined) set.api_base_url = patch.apiBaseUrl;
      if (patch.tokenUrl !== undefined) set.token_url = patch.tokenUrl;
      if (patch.activeAllowance !== undefined) set.active_allowance = patch.activeAllowance;
      if (patch.appId !== undefined || patch.appSecretSealed !== undefined || patch.tokenUrl !== undefined) {
        set.access_token_sealed = null;
        set.access_token_expires_at = null;
      }
      await db.updateTable('qq_bots').set(set).where('id', '=', id).execute();
    },
    async deleteBot(id: string) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('qq_reply_seqs').where('bot_id', '=', id).execute();
        await trx.deleteFrom('qq_active_sends').where('bot_id', '=', id).execute();
        await trx.deleteFrom('qq_bots').where('id', '=', id).execute();
      });
    },
    async saveAccessToken(id: string, sealed: string, expiresAt: string) {
      await db.updateTable('qq_bots').set({ access_token_sealed: sealed, access_token_expires_at: expiresAt }).where('id', '=', id).execute();
    },

    /**
     * The msg_seq of our message `messageId` replying to the citizen's message `msgId`: the number it
     * already has (a retry), else the next free one; undefined once `max` replies used them all.
     */
    async replySeq(botId: string, msgId: string, messageId: string, max: number): Promise<number | undefined> {
      for (let attempt = 0; attempt < MAX_NUMBERING_ATTEMPTS; attempt++) {
        const rows = await db.selectFrom('qq_reply_seqs').select(['seq', 'message_id']).where('bot_id', '=', botId).where('msg_id', '=', msgId).execute();
        const own = rows.find((r) => r.message_id === messageId);
        if (own) return Number(own.seq);
        if (rows.length >= max) return undefined;
        const seq = Math.max(0, ...rows.map((r) => Number(r.seq))) + 1;
        try {
          await db.insertInto('qq_reply_seqs').values({ bot_id: botId, msg_id: msgId, seq, message_id: messageId, created_at: nowIso() }).execute();
          return seq;
        } catch (err) {
          // another reply took this number at the same moment: count again
          if (!isUniqueViolation(err)) throw err;
        }
      }
      throw new Error('qq: could not number a passive reply');
    },

    /**
     * Takes one of the recipient's active messages of the month for our message `messageId` (a retry
     * keeps the one it has); false when the month's allowance is used up.
     */
    async reserveActiveSend(botId: string, recipient: string, month: string, messageId: string, allowance: number): Promise<boolean> {
      for (let attempt = 0; attempt < MAX_NUMBERING_ATTEMPTS; attempt++) {
        const own = await db.selectFrom('qq_active_sends').select('slot').where('bot_id', '=', botId).where('message_id', '=', messageId).executeTakeFirst();
        if (own) return true;
        const rows = await db.selectFrom('qq_active_sends').select('slot').where('bot_id', '=', botId).where('recipient', '=', recipient).where('month', '=', month).execute();
        if (rows.length >= allowance) return false;
        const slot = Math.max(0, ...rows.map((r) => Number(r.slot))) + 1;
        try {
          await db.insertInto('qq_active_sends').values({ bot_id: botId, recipient, month, slot, message_id: messageId, created_at: nowIso() }).execute();
          return true;
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
      }
      throw new Error('qq: could not count an active message');
    },
    /** Gives back an active message the platform refused (it did not count against the allowance). */
    async releaseActiveSend(botId: string, messageId: string) {
      await db.deleteFrom('qq_active_sends').where('bot_id', '=', botId).where('message_id', '=', messageId).execute();
    },
  };
}

export type QqRepo = ReturnType<typeof qqRepo>;
