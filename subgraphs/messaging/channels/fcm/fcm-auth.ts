import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import { ProviderError } from '../channel';
import type { ServiceAccount } from './service-account';

/** The OAuth scope of the FCM HTTP v1 API (channels.md §3). */
export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** A token is renewed this long before Google says it expires, so none expires on its way to FCM. */
const EXPIRY_MARGIN_MS = 60_000;

interface CachedToken {
  value: string;
  expiresAt: number;
}

/**
 * Access tokens of a service account for FCM, by the OAuth 2.0 JWT-bearer grant (RFC 7523): an
 * assertion signed RS256 with the account's private key is exchanged at its `token_uri`. The
 * token (valid about an hour) is cached and shared; concurrent callers wait on ONE refresh rather
 * than each asking for a token.
 */
export class FcmAuth {
  private cached?: CachedToken;
  private refreshing?: Promise<CachedToken>;
  private key?: Promise<CryptoKey>;

  constructor(
    private readonly account: ServiceAccount,
    private readonly timeoutMs: number,
    /** The clock (tests move it to expire tokens). */
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid access token, from the cache while it has more than a minute left. */
  async accessToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt - EXPIRY_MARGIN_MS > this.now()) return this.cached.value;
    this.refreshing ??= this.fetchToken().finally(() => (this.refreshing = undefined));
    return (await this.refreshing).value;
  }

  /**
   * Forgets `token` after FCM refused it (401: revoked, or the clock was off). Only that token:
   * when several sends got a 401 with it, the first one's refresh is not thrown away by the others.
   */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async fetchToken(): Promise<CachedToken> {
    this.key ??= importPKCS8(this.account.private_key, 'RS256');
    const key = await this.key.catch((err: Error) => {
      this.key = undefined;
      throw new ProviderError(`the FCM service account's private key cannot be read: ${err.message}`, true, 'INVALID_KEY');
    });
    const assertion = await new SignJWT({ scope: FCM_SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(this.account.private_key_id ? { kid: this.account.private_key_id } : {}) })
      .setIssuer(this.account.client_email)
      .setAudience(this.account.token_uri)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.floor(this.now() / 1000) + 3600)
      .sign(key);
    let res: Response;
    try {
      res = await fetch(this.account.token_uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (err as Error).message;
      throw new ProviderError(`Google's token endpoint could not be reached: ${reason}`, false, 'NETWORK');
    }
    const text = await res.text().catch(() => '');
    let body: { access_token?: string; expires_in?: number; error?: string; error_description?: string } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not JSON: reported below with the status.
    }
    if (!res.ok || !body.access_token) {
      // invalid_grant & co. (a revoked key, a wrong account) would be refused again; 5xx and 429 may pass later.
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 429;
      const code = body.error ?? String(res.status);
      throw new ProviderError(
        `Google refused an FCM access token (${res.status}, ${code}): ${body.error_description ?? text.slice(0, 200)}`,
        permanent,
        code,
      );
    }
    this.cached = { value: body.access_token, expiresAt: this.now() + (body.expires_in ?? 3600) * 1000 };
    return this.cached;
  }
}
