import type { SecretBox } from '../../platform/secrets';
import type { WechatAccount, WechatRepo } from './repo';

/** A token is fetched again this long before WeChat says it runs out (other instances may be using it). */
export const REFRESH_BEFORE_MS = 5 * 60_000;
/** How long one instance may take to fetch a token before another may try. */
export const REFRESH_LEASE_MS = 10_000;
/** errcodes meaning "this access token is not (or no longer) valid": fetch a new one and try once more. */
export const STALE_TOKEN_ERRCODES = new Set([40001, 40014, 42001]);

export interface AccessToken {
  value: string;
  /** as stored, to forget exactly this token and not one another instance fetched meanwhile */
  sealed: string;
}

/**
 * An official account's API access token. WeChat gives one per AppID at a time, so it is kept in the
 * database (sealed) and shared by every instance; it is fetched again ~5 minutes before it runs out,
 * by one instance at a time (a lease in the database) while the others wait for it.
 */
export class AccessTokens {
  private readonly inFlight = new Map<string, Promise<AccessToken>>();

  constructor(
    private readonly repo: WechatRepo,
    private readonly secrets: SecretBox,
  ) {}

  /** A token valid for at least a few minutes more. */
  async get(accountId: string): Promise<AccessToken> {
    const account = await this.repo.getAccount(accountId);
    if (!account) throw new Error(`wechat account ${accountId} is gone`);
    const stored = this.usable(account);
    if (stored) return stored;
    let pending = this.inFlight.get(accountId);
    if (!pending) {
      pending = this.refresh(accountId).finally(() => this.inFlight.delete(accountId));
      this.inFlight.set(accountId, pending);
    }
    return pending;
  }

  /**
   * One instance fetches (it holds a short lease in the database); the others wait for the token it
   * stores. A lease left by a crashed instance runs out after REFRESH_LEASE_MS.
   */
  private async refresh(accountId: string): Promise<AccessToken> {
    const deadline = Date.now() + REFRESH_LEASE_MS;
    for (;;) {
      const account = await this.repo.getAccount(accountId);
      if (!account) throw new Error(`wechat account ${accountId} is gone`);
      const stored = this.usable(account);
      if (stored) return stored;
      const now = Date.now();
      if (now >= deadline || (await this.repo.claimTokenRefresh(accountId, new Date(now + REFRESH_LEASE_MS).toISOString(), new Date(now).toISOString()))) {
        try {
          // another instance may have stored one between our read and our claim
          const fresh = await this.repo.getAccount(accountId);
          const meanwhile = fresh && this.usable(fresh);
          return meanwhile || (await this.fetch(fresh ?? account));
        } finally {
          await this.repo.releaseTokenRefresh(accountId);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** WeChat refused this token: forget it, so the next `get` fetches a new one. */
  async invalidate(accountId: string, token: AccessToken) {
    await this.repo.clearAccessToken(accountId, token.sealed);
  }

  private usable(account: WechatAccount): AccessToken | undefined {
    if (!account.accessTokenSealed || !account.accessTokenExpiresAt) return undefined;
    if (Date.parse(account.accessTokenExpiresAt) - REFRESH_BEFORE_MS <= Date.now()) return undefined;
    try {
      return { value: this.secrets.open(account.accessTokenSealed), sealed: account.accessTokenSealed };
    } catch {
      return undefined; // sealed with another key: fetch a new one
    }
  }

  /** GET {apiBaseUrl}/cgi-bin/token?grant_type=client_credential&appid=…&secret=… */
  private async fetch(account: WechatAccount): Promise<AccessToken> {
    const url = new URL(`${account.apiBaseUrl}/cgi-bin/token`);
    url.searchParams.set('grant_type', 'client_credential');
    url.searchParams.set('appid', account.appId);
    url.searchParams.set('secret', this.secrets.open(account.appSecretSealed));
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
    if (!res.ok) throw new Error(`wechat token endpoint answered HTTP ${res.status}`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    if (!body.access_token) throw new Error(`wechat token refused: errcode ${body.errcode ?? '?'} ${body.errmsg ?? ''}`.trim());
    const expiresInMs = (Number(body.expires_in) || 7200) * 1000;
    const sealed = this.secrets.seal(body.access_token);
    await this.repo.setAccessToken(account.id, sealed, new Date(Date.now() + expiresInMs).toISOString());
    return { value: body.access_token, sealed };
  }
}
