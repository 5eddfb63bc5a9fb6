import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deleteRabbitQueues } from '../testkit/cleanup';
import { eventually } from '../testkit/eventually';
import { codes, gql } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import { metricSamples } from '../testkit/metrics';
import { uniqueName } from '../testkit/services';
import { isSignedNotice, partnerEndpoint, runSchemaCli, type PartnerEndpoint } from '../testkit/registry';
import { DELIVERY_HEADER } from '../registry/webhook/signature';
import { listening, productionEnv, removeProductionData, startProcess, type RunningProcess } from './support/process';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');
const RETRY_DELAYS = [100, 200];
const POLL_MS = 500;

/** Completed /v1/supergraph answers of the registry by HTTP status, from its /metrics. */
async function supergraphAnswers(registryUrl: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { labels, value } of await metricSamples(registryUrl, 'http_request_duration_seconds_count')) {
    if (labels.route === '/v1/supergraph') out[labels.status] = value;
  }
  return out;
}

/**
 * The registry as deployed: registry, users subgraph and gateway as separate compiled processes
 * on MariaDB, Redis and RabbitMQ, driven by the schema CLI as subgraph CI and partners run it.
 */
describe('schema registry with real processes (MariaDB, Redis, RabbitMQ)', () => {
  const prefix = uniqueName('e2e_reg');
  const queue = uniqueName('e2e_registry_webhooks');
  const dir = mkdtempSync(path.join(tmpdir(), 'manassa-registry-'));
  const adminToken = `mreg_${uniqueName('admin').padEnd(48, 'x')}`;
  const sdlFile = (name: string, sdl: string) => {
    const file = path.join(dir, `${name}.graphql`);
    writeFileSync(file, sdl);
    return file;
  };
  const withoutTimezone = sdlFile('no-timezone', USERS.replace(/\n\s*timezone: String!/, ''));
  let shared: Record<string, string>;
  let gatewayEnv: Record<string, string>;
  let registry: RunningProcess;
  let users: RunningProcess;
  let gateway: RunningProcess;
  let cli: (args: string[], token?: string) => ReturnType<typeof runSchemaCli>;
  let ciToken: string;
  let partner: PartnerEndpoint;

  beforeAll(async () => {
    const keys = await testKeys();
    shared = { ...productionEnv(prefix, dir), NODE_ENV: 'test' };
    registry = await startProcess(
      'registry/index.js',
      {
        ...shared,
        REGISTRY_PORT: '0',
        REGISTRY_ADMIN_TOKEN: adminToken,
        REGISTRY_WEBHOOK_QUEUE: queue,
        REGISTRY_WEBHOOK_RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
        // The gateway's key: publishes are checked against what the users process serves.
        INTERNAL_SIGNING_KEYS: keys.internal,
      },
      listening('registry'),
    );
    cli = (args, token = adminToken) => runSchemaCli(args, { REGISTRY_URL: registry.url, REGISTRY_TOKEN: token, DATA_DIR: dir });
    ciToken = /^(mreg_\S+)$/m.exec((await cli(['token', 'create', 'users-ci', '--scopes', 'publish,read'])).stdout)![1];
    const gatewayToken = /^(mreg_\S+)$/m.exec((await cli(['token', 'create', 'gateway', '--scopes', 'read'])).stdout)![1];

    users = await startProcess(
      'subgraphs/users/index.js',
      { ...shared, USERS_PORT: '0', SEED_DEMO: '1', ACCESS_TOKEN_SIGNING_KEYS: keys.access, INTERNAL_JWKS: keys.internalPublic },
      listening('users'),
    );
    // The routing URL the gateway will use comes from the registry (no SUBGRAPH_URLS override).
    // users runs School.timezone, which this SDL lacks: refused, naming it, unless forced.
    const refused = await cli(['publish', 'users', '--file', withoutTimezone, '--url', `${users.url}/graphql`], ciToken);
    expect(refused).toMatchObject({ code: 1, stdout: expect.stringMatching(/publish refused[\s\S]*School\.timezone is served by users/) });
    const first = await cli(['publish', 'users', '--file', withoutTimezone, '--url', `${users.url}/graphql`, '--force'], ciToken);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/published version 1 .*FORCED/) });

    gatewayEnv = {
      ...shared,
      PORT: '0',
      INTERNAL_SIGNING_KEYS: keys.internal,
      REGISTRY_URL: registry.url,
      REGISTRY_TOKEN: gatewayToken,
      REGISTRY_POLL_INTERVAL_MS: String(POLL_MS),
      SUPERGRAPH_CACHE_PATH: path.join(dir, 'gateway-cache', 'supergraph.graphql'),
      USAGE_FLUSH_INTERVAL_MS: '200',
    };
    gateway = await startProcess('gateway/index.js', gatewayEnv, listening('gateway'));
    partner = await partnerEndpoint();
  });

  afterAll(async () => {
    await gateway?.stop();
    await users?.stop();
    await registry?.stop();
    await partner?.close();
    await deleteRabbitQueues([queue], RETRY_DELAYS);
    await removeProductionData(prefix, dir);
  });

  const timezone = () => gql(gateway.url, 'query SchoolTimezone { school { timezone } }', { tenant: 'demo' });

  it('delivers a compatible change published with the CLI to the running gateway at its next poll, failing no query under load', async () => {
    expect(codes(await timezone())).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    let running = true;
    let ok = 0;
    const failures: unknown[] = [];
    const load = Array.from({ length: 4 }, async () => {
      while (running) {
        const r = await gql(gateway.url, 'query Slug { school { slug } }', { tenant: 'demo' }).catch((err: Error) => ({
          status: 0,
          body: { errors: [{ message: err.message }] },
        }));
        if (r.status === 200 && (r.body as { data?: { school?: { slug: string } } }).data?.school?.slug === 'demo') ok++;
        else failures.push(r.body);
      }
    });
    await eventually(async () => expect(await supergraphAnswers(registry.url)).toEqual({ '200': 1, '304': expect.any(Number) }));

    const publish = await cli(['publish', 'users', '--message', 'School.timezone is back'], ciToken);
    expect(publish).toMatchObject({ code: 0, stdout: expect.stringMatching(/published version 2[\s\S]*SAFE .*timezone/) });
    await eventually(async () => expect((await timezone()).body.data?.school?.timezone).toBe('Africa/Cairo'));
    const served = ok;
    await eventually(() => expect(ok).toBeGreaterThan(served + 20));
    running = false;
    await Promise.all(load);
    expect(failures).toEqual([]);
    // Boot, then the new version: the first poll to see it delivered it; all others were 304.
    expect((await supergraphAnswers(registry.url))['200']).toBe(2);
  });

  it('fails a check (exit 1) that removes a field the gateway saw operations use, naming both; passes an unused removal and the committed SDL', async () => {
    expect((await timezone()).body.data.school.timezone).toBe('Africa/Cairo');
    await eventually(async () => {
      const check = await cli(['check', 'users', '--file', withoutTimezone], ciToken);
      expect(check.code).toBe(1);
      expect(check.stdout).toMatch(/check failed: \d+ breaking/);
      expect(check.stdout).toMatch(/School\.timezone is used by 1 operation\(s\).*SchoolTimezone/);
    });
    const publish = await cli(['publish', 'users', '--file', withoutTimezone], ciToken);
    expect(publish).toMatchObject({ code: 1, stdout: expect.stringMatching(/publish refused[\s\S]*SchoolTimezone/) });

    const unused = await cli(
      ['check', 'users', '--file', sdlFile('no-accepted-at', USERS.replace(/\n\s*acceptedAt: DateTime/, ''))],
      ciToken,
    );
    expect(unused).toMatchObject({ code: 0, stdout: expect.stringMatching(/check passed[\s\S]*DANGEROUS .*acceptedAt/) });
    // No argument: every committed subgraph SDL (subgraphs not published yet included) against this registry.
    expect(await cli(['check'], ciToken)).toMatchObject({ code: 0, stdout: expect.stringMatching(/check passed against version 2/) });
    const history = await cli(['history'], ciToken);
    expect(history.stdout).toMatch(/#2 .* users {2}by users-ci\n {5}School\.timezone is back\n {5}0 breaking, 0 dangerous, 2 safe/);
  });

  it('gives a partner token the contract and nothing else, and signs the webhook notice of a contract change', async () => {
    const created = await cli(['token', 'create', 'acme', '--scopes', 'partner', '--json']);
    const partnerToken: string = JSON.parse(created.stdout).token;
    const contract = await cli(['contract'], partnerToken);
    expect(contract).toMatchObject({ code: 0, stdout: expect.stringMatching(/^type School \{/m) });
    expect(contract.stdout).not.toMatch(/type User|type Mutation/);
    for (const args of [['history'], ['check'], ['publish'], ['token', 'list']]) {
      expect(await cli(args, partnerToken)).toMatchObject({ code: 2, stderr: expect.stringMatching(/registry answered 403/) });
    }
    const hook = JSON.parse((await cli(['webhook', 'add', partner.url, '--json'], partnerToken)).stdout);

    const described = sdlFile(
      'described',
      USERS.replace(
        'A school (tenant). Its public profile is part of the partner contract.',
        'A school (tenant): the public profile partners see.',
      ),
    );
    expect((await cli(['publish', 'users', '--file', described], ciToken)).code).toBe(0);
    await eventually(() => expect(partner.received).toHaveLength(1));
    const [notice] = partner.received;
    expect(isSignedNotice(hook.secret, notice)).toBe(true);
    expect(JSON.parse(notice.body)).toMatchObject({
      event: 'contract.updated',
      delivery: notice.headers[DELIVERY_HEADER],
      version: { number: 3 },
      changes: [expect.objectContaining({ type: 'TYPE_DESCRIPTION_CHANGED', path: 'School' })],
    });
  });

  it('keeps serving with the registry stopped; a restarted gateway starts from its cached supergraph', async () => {
    expect(await registry.stop()).toBe(0);
    let failures = 0;
    // Several polls fail meanwhile; queries do not.
    const until = Date.now() + POLL_MS * 4;
    while (Date.now() < until) if ((await timezone()).body.data?.school?.timezone !== 'Africa/Cairo') failures++;
    expect(failures).toBe(0);

    expect(await gateway.stop()).toBe(0);
    expect(existsSync(gatewayEnv.SUPERGRAPH_CACHE_PATH)).toBe(true);
    gateway = await startProcess('gateway/index.js', gatewayEnv, listening('gateway'));
    expect(gateway.output()).toMatch(/schema registry unreachable at start; serving the cached supergraph/);
    expect((await timezone()).body.data.school.timezone).toBe('Africa/Cairo');
  });
});
