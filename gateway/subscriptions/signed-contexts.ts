import { INTERNAL_TOKEN_TTL_SECONDS, type InternalContextSigner } from '../../platform/auth/internal-context';
import type { Principal } from './principal';
import { remember } from './remember';

/**
 * Signed internal contexts of group principals, reused for half their lifetime: a group resolves
 * events for hours as the same principal, and signing for every entity fetch would cost an
 * Ed25519 signature per fetch for nothing.
 */
export class SignedContexts {
  private readonly tokens = new Map<string, { token: Promise<string>; until: number }>();

  constructor(
    private readonly sign: InternalContextSigner,
    /** Reuse a token for this long. Default half of INTERNAL_TOKEN_TTL_SECONDS. */
    private readonly reuseMs = (INTERNAL_TOKEN_TTL_SECONDS * 1000) / 2,
    /** Principals remembered at most. Default 10000. */
    private readonly max = 10_000,
  ) {}

  for(principal: Principal, service: string): Promise<string> {
    const key = `${service}\n${principal.key}`;
    const now = Date.now();
    const hit = this.tokens.get(key);
    if (hit && hit.until > now) return hit.token;
    const token = this.sign(principal.context, service);
    token.catch(() => this.tokens.delete(key));
    remember(this.tokens, key, { token, until: now + this.reuseMs }, this.max);
    return token;
  }
}
