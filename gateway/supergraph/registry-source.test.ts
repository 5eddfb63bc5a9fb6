import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../../testkit/eventually';
import { codes, request } from '../../testkit/graphql-client';
import { startStack, type Stack } from '../../testkit/stack';
import type { RegistryClient } from '../../registry/client';
import { startTestRegistry, type TestRegistry } from '../../testkit/registry';
import { createGatewayService, type GatewayService } from '../app';
import { gatewayConfigFromEnv } from '../env';
import { metricSamples } from '../../testkit/metrics';
import { queryLoad } from '../../testkit/query-load';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');
const WITHOUT_TIMEZONE = USERS.replace(/\n\s*timezone: String!/, '');
const POLL_MS = 200;

/** Completed /v1/supergraph answers of the registry by HTTP status, from its /metrics. */
async function supergraphAnswers(registryUrl: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { labels, value } of await metricSamples(registryUrl, 'http_request_duration_seconds_count')) {
    if (labels.route === '/v1/supergraph') out[labels.status] = (out[labels.status] ?? 0) + value;
  }
  return out;
}

/**
 * The gateway on the schema registry: it boots from the registry, picks up a published change at
 * the next poll under load without failing a request, reports field usage that the registry's
 * checks then use, keeps serving through a registry outage, and boots from its cached copy.
 */
describe.each(['mysql', 'sqlite'] as const)('gateway on the schema registry (%s)', (dialect) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-source-'));
  const cachePath = path.join(dir, 'supergraph-cache.graphql');
  let registry: TestRegistry;
  let ci: RegistryClient;
  let stack: Stack;
  let restarted: GatewayService | undefined;
  let gatewayEnv: Record<string, string>;

  beforeAll(async () => {
    registry = await startTestRegistry(dialect);
    ci = await registry.clientWith(['publish', 'read'], 'users-ci');
    const reader = await registry.admin.createToken('gateway', ['read']);
    // The gateway routes to the stack's users (SUBGRAPH_URLS), not to this URL, and runs the
    // timezone field: both publishes are forced past the registry's served-SDL check.
    expect(
      (await ci.publish([{ name: 'users', sdl: WITHOUT_TIMEZONE, url: 'http://127.0.0.1:4001/graphql' }], { force: true })).status,
    ).toBe(201);
    gatewayEnv = {
      REGISTRY_URL: registry.url,
      REGISTRY_TOKEN: reader.body.token,
      REGISTRY_POLL_INTERVAL_MS: String(POLL_MS),
      SUPERGRAPH_CACHE_PATH: cachePath,
      USAGE_FLUSH_INTERVAL_MS: '100',
    };
    stack = await startStack(dialect, gatewayEnv);
  });
  afterAll(async () => {
    await restarted?.stop();
    await stack.stop();
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const timezone = () => stack.gql('query SchoolTimezone { school { timezone } }', { tenant: 'demo' });

  it('serves the published supergraph and applies a compatible change at the next poll, failing no request under load', async () => {
    expect(codes(await timezone())).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(readFileSync(cachePath, 'utf8')).not.toMatch(/timezone/);
    const load = queryLoad(stack);
    await eventually(() => expect(load.ok()).toBeGreaterThan(20));
    // Polling has begun, answered 304 while nothing changed.
    await eventually(async () => expect(await supergraphAnswers(registry.url)).toEqual({ '200': 1, '304': expect.any(Number) }));

    const publish = await ci.publish([{ name: 'users', sdl: USERS }], { force: true });
    expect(publish.body.changes).toEqual([
      expect.objectContaining({ type: 'FIELD_ADDED', path: 'School.timezone', level: 'safe' }),
      expect.objectContaining({ target: 'contract', type: 'FIELD_ADDED' }),
    ]);
    await eventually(async () => expect((await timezone()).body.data?.school?.timezone).toBe('Africa/Cairo'));
    const served = load.ok();
    await eventually(() => expect(load.ok()).toBeGreaterThan(served + 20));
    const { failures } = await load.stop();
    expect(failures).toEqual([]);

    // Exactly two full downloads (boot, then the new version): the first poll that saw the new
    // version delivered it; every other poll was a 304.
    expect((await supergraphAnswers(registry.url))['200']).toBe(2);
    expect(readFileSync(cachePath, 'utf8')).toMatch(/timezone: String!/);
  });

  it("reports the fields operations use, and the registry's check then names those operations", async () => {
    expect((await timezone()).body.data.school.timezone).toBe('Africa/Cairo');
    await eventually(async () => {
      const check = await ci.check([{ name: 'users', sdl: WITHOUT_TIMEZONE }]);
      expect(check.body.ok).toBe(false);
      expect(check.body.breaking[0]).toMatchObject({
        path: 'School.timezone',
        usedBy: [expect.objectContaining({ name: 'SchoolTimezone', clients: ['unknown'] })],
      });
    });
    // Slug was selected too, by the "Slug" operation of the load, and is not removed here.
    const unused = await ci.check([{ name: 'users', sdl: USERS.replace(/\n\s*acceptedAt: DateTime/, '') }]);
    expect(unused.body).toMatchObject({ ok: true, breaking: [] });
  });

  it('keeps serving while the registry is down, and a restarted gateway boots from its cached supergraph', async () => {
    await registry.service.stop();
    const load = queryLoad(stack, 2);
    // Several polls fail meanwhile (no fixed expectation on their number).
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    const { ok, failures } = await load.stop();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    expect((await timezone()).body.data.school.timezone).toBe('Africa/Cairo');

    await stack.gateway.stop();
    const config = gatewayConfigFromEnv({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      INTERNAL_SIGNING_KEYS: stack.keys.internal,
      SUBGRAPH_URLS: `users=${stack.url('users')}/graphql`,
      ...gatewayEnv,
    });
    restarted = createGatewayService(config, stack.transport);
    const { url } = await restarted.start();
    const res = await request(url, {
      headers: { 'content-type': 'application/json', 'x-tenant-id': 'demo' },
      body: JSON.stringify({ query: '{ school { timezone } }' }),
    });
    expect(JSON.parse(res.text).data.school.timezone).toBe('Africa/Cairo');

    // Without a cached copy there is nothing safe to serve: the start fails with the reason.
    const uncached = createGatewayService(
      { ...config, registry: { ...config.registry!, cachePath: path.join(dir, 'none.graphql') } },
      stack.transport,
    );
    await expect(uncached.start()).rejects.toThrow(/schema registry unreachable .* no cached supergraph/);
    await uncached.stop();
    expect(existsSync(path.join(dir, 'none.graphql'))).toBe(false);
  });
});
