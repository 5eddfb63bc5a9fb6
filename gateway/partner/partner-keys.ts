import { sha256 } from '../../platform/secrets';
import type { Logger } from '../../platform/logger';
import { registryGet, registryPoller, type Polled, type RegistryAccess } from './registry-poll';

/** The header a partner sends its API key in. */
export const API_KEY_HEADER = 'x-api-key';

/** A live partner key as the registry serves it to gateways (its hash, never the key). */
export interface PartnerKey {
  id: string;
  hash: string;
  partner: string;
  /** The school (slug) the key acts for. */
  school: string;
  ratePerMinute: number;
}

/** Where live keys come from. */
export type PartnerKeySource = (etag: string | undefined) => Promise<Polled<PartnerKey[]>>;

/** The registry's `GET /v1/partner-keys/live` (read scope, ETag). */
export function registryPartnerKeys(access: RegistryAccess): PartnerKeySource {
  return (etag) => registryGet(access, '/v1/partner-keys/live', etag, async (res) => ((await res.json()) as { keys: PartnerKey[] }).keys);
}

/**
 * The live partner keys, reloaded from the registry every poll interval: a key issued or revoked
 * there is honoured here within one interval. Keys are looked up by their SHA-256.
 */
export function partnerKeys(opts: { source: PartnerKeySource; pollIntervalMs: number; logger: Logger }) {
  let byHash = new Map<string, PartnerKey>();
  const poller = registryPoller({
    name: 'partner keys',
    load: opts.source,
    onValue: (keys) => (byHash = new Map(keys.map((k) => [k.hash, k]))),
    pollIntervalMs: opts.pollIntervalMs,
    logger: opts.logger,
  });
  return {
    get loaded() {
      return poller.loaded;
    },
    /** The key presented, or undefined when it is unknown or revoked. */
    lookup: (presented: string): PartnerKey | undefined => byHash.get(sha256(presented)),
    reload: () => poller.reload(),
    start: () => poller.start(),
    stop: () => poller.stop(),
  };
}
export type PartnerKeys = ReturnType<typeof partnerKeys>;
