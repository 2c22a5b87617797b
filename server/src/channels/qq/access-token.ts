import type { AppContext } from '../../platform/context';
import { qqRepo, type QqBotRecord } from './repo';

/**
 * The platform issues a new token only in the last 60 seconds of the old one's life (both work
 * meanwhile); asking earlier returns the same token. So a token is used until 60 s before it ends.
 */
const REFRESH_BEFORE_MS = 60_000;
const TOKEN_TIMEOUT_MS = 10_000;

/**
 * App access tokens of QQ bots (`POST tokenUrl {appId, clientSecret}` → `{access_token, expires_in}`),
 * kept sealed in the bot's row so every instance shares one, fetched again shortly before they run
 * out or when the API refused one; one fetch at a time per bot within an instance.
 */
export function accessTokens(ctx: AppContext) {
  const repo = qqRepo(ctx.db);
  const inFlight = new Map<string, Promise<string>>();

  async function fetchToken(bot: QqBotRecord): Promise<string> {
    const res = await fetch(bot.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ appId: bot.appId, clientSecret: ctx.secrets.open(bot.appSecretSealed) }),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; code?: unknown; message?: unknown };
    const token = typeof body.access_token === 'string' ? body.access_token : '';
    // expires_in comes as a string ("7200") or a number
    const seconds = Number(body.expires_in);
    if (!res.ok || !token || !Number.isFinite(seconds) || seconds <= 0) {
      throw new Error(`qq access token refused: HTTP ${res.status}${body.code !== undefined ? ` code ${String(body.code)}` : ''}${typeof body.message === 'string' ? ` ${body.message.slice(0, 200)}` : ''}`);
    }
    await repo.saveAccessToken(bot.id, ctx.secrets.seal(token), new Date(Date.now() + seconds * 1000).toISOString());
    return token;
  }

  return {
    /**
     * A valid token of the bot. `rejected`: a token the API just refused, which is not handed out
     * again (unless another instance has already replaced it, then the new one is used).
     */
    async get(botId: string, options: { rejected?: string } = {}): Promise<string> {
      const bot = await repo.getBot(botId);
      if (!bot) throw new Error(`qq bot ${botId} is gone`);
      if (bot.accessTokenSealed && bot.accessTokenExpiresAt && Date.parse(bot.accessTokenExpiresAt) - Date.now() > REFRESH_BEFORE_MS) {
        const cached = ctx.secrets.open(bot.accessTokenSealed);
        if (cached !== options.rejected) return cached;
      }
      let pending = inFlight.get(bot.id);
      if (!pending) {
        pending = fetchToken(bot).finally(() => inFlight.delete(bot.id));
        inFlight.set(bot.id, pending);
      }
      return pending;
    },
  };
}

export type AccessTokens = ReturnType<typeof accessTokens>;
