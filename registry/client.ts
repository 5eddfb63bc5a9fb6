/**
 * A small typed client of the registry's REST API, used by the CLI, `npm start` and tests.
 * It returns the status with the body instead of throwing on 4xx: a refused publish or a
 * failed check is an answer the caller reports, not an exception.
 */
import { join } from 'node:path';
import type { ProposedSubgraph } from './composition/subgraph-input';

/**
 * Where `npm start` leaves its registry for the CLI, under DATA_DIR: the URL it listens on and
 * the admin token it generated.
 */
export const embeddedRegistryFiles = (dataDir: string) => ({
  discovery: join(dataDir, 'registry.json'),
  adminToken: join(dataDir, 'keys', 'registry-admin-token'),
});

export interface RegistryAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Per-request timeout: a publish composes the whole graph. */
const TIMEOUT_MS = 30_000;

export class RegistryClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RegistryAnswer<T>> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, body: (json && text ? JSON.parse(text) : text) as T, headers: res.headers };
  }

  check(subgraphs: ProposedSubgraph[]) {
    return this.call('POST', '/v1/check', { subgraphs });
  }

  /** `force`: publish even if a subgraph does not serve this SDL at its routing URL (recorded on the version). */
  publish(subgraphs: ProposedSubgraph[], opts: { message?: string; author?: string; approve?: string; force?: boolean } = {}) {
    return this.call('POST', '/v1/publish', {
      subgraphs,
      message: opts.message,
      author: opts.author,
      approve: opts.approve ? { reason: opts.approve } : undefined,
      force: opts.force || undefined,
    });
  }

  approve(subgraphs: ProposedSubgraph[], reason: string) {
    return this.call('POST', '/v1/approvals', { subgraphs, reason });
  }

  history(limit = 20) {
    return this.call('GET', `/v1/versions?limit=${limit}`);
  }

  version(idOrNumber: string, part?: 'supergraph' | 'api' | 'contract') {
    return this.call('GET', `/v1/versions/${encodeURIComponent(idOrNumber)}${part ? `/${part}` : ''}`);
  }

  contract(etag?: string) {
    return this.call<string>('GET', '/v1/contracts/partner', undefined, etag ? { 'if-none-match': etag } : {});
  }

  /** Publishes `client`@`version`'s trusted documents (an Apollo persisted-query manifest). */
  publishPersisted(client: string, version: string, manifest: unknown) {
    return this.call('PUT', `/v1/persisted/${encodeURIComponent(client)}/${encodeURIComponent(version)}`, manifest);
  }

  /** Every trusted document `client` published, over its versions, and whether gateways hold it to them. */
  persisted(client: string) {
    return this.call<{ client: string; trustedOnly: boolean; operations: Array<{ id: string; body: string }> }>(
      'GET',
      `/v1/persisted/${encodeURIComponent(client)}`,
    );
  }

  /** Marks `client` trusted-only (gateways accept only its registered operations) or not; an admin token. */
  setTrustedOnly(client: string, trustedOnly: boolean) {
    return this.call<{ client: string; trustedOnly: boolean }>('PUT', `/v1/persisted/${encodeURIComponent(client)}`, { trustedOnly });
  }

  /** The clients known to the registry (published or with settings); `trustedOnly`: only those marked so. */
  persistedClients(opts: { trustedOnly?: boolean } = {}) {
    return this.call<{ clients: Array<{ client: string; trustedOnly: boolean; operations?: number }> }>(
      'GET',
      `/v1/persisted${opts.trustedOnly ? '?trustedOnly=true' : ''}`,
    );
  }

  createToken(name: string, scopes: string[]) {
    return this.call('POST', '/v1/tokens', { name, scopes });
  }
}
