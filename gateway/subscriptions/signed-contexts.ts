import type { InternalContextSigner } from '../../platform/auth/internal-context';
import { reuseOrSign, TOKEN_REUSE_MS, type ReusedToken, type TokenStore } from '../edge/reused-tokens';
import type { Principal } from './principal';
import { remember } from './remember';

/**
 * Signed internal contexts of group principals, reused for half their lifetime: a group resolves
 * events for hours as the same principal, and signing for every entity fetch would cost an
 * Ed25519 signature per fetch for nothing.
 */
export class SignedContexts {
  private readonly tokens = new Map<string, ReusedToken>();
  // Principals come and go with groups for as long as the gateway runs: the map is bounded.
  private readonly store: TokenStore<string> = {
    get: (key) => this.tokens.get(key),
    set: (key, entry) => remember(this.tokens, key, entry, this.max),
    delete: (key) => this.tokens.delete(key),
  };

  constructor(
    private readonly sign: InternalContextSigner,
    /** Reuse a token for this long. Default half of INTERNAL_TOKEN_TTL_SECONDS. */
    private readonly reuseMs = TOKEN_REUSE_MS,
    /** Principals remembered at most. Default 10000. */
    private readonly max = 10_000,
  ) {}

  for(principal: Principal, service: string): Promise<string> {
    return reuseOrSign(this.store, `${service}\n${principal.key}`, () => this.sign(principal.context, service), this.reuseMs);
  }
}
