import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gql } from '../testkit/graphql-client';
import { eventually } from '../testkit/eventually';
import { isSignedNotice, partnerEndpoint, runSchemaCli, type PartnerEndpoint } from '../testkit/registry';
import { startProcess, STARTED, type RunningProcess } from './support/process';

/**
 * `npm start` (compiled, embedded mode: SQLite and the in-process broker) runs the registry too:
 * the current subgraphs are published at first start, the gateway serves the registry's
 * supergraph, and the CLI finds this registry with no configuration.
 */
describe('schema registry under npm start (embedded mode)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'manassa-start-registry-'));
  const env = { DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'development' };
  // No REGISTRY_URL or token: the CLI discovers the running registry through DATA_DIR.
  const cli = (args: string[]) => runSchemaCli(args, { DATA_DIR: dataDir });
  let app: RunningProcess;
  let partner: PartnerEndpoint;

  beforeAll(async () => {
    app = await startProcess('scripts/start.js', env, STARTED);
    partner = await partnerEndpoint();
  });
  afterAll(async () => {
    await app?.stop();
    await partner?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes the current subgraphs at first start and the gateway serves that version', async () => {
    const registryUrl = /schema registry\s+(http:\/\/\S+)/.exec(app.output())![1];
    expect(JSON.parse(readFileSync(path.join(dataDir, 'registry.json'), 'utf8'))).toEqual({ url: registryUrl });
    const history = await cli(['history']);
    expect(history).toMatchObject({ code: 0, stdout: expect.stringMatching(/^#1 .* users.* by bootstrap \(npm start\)$/m) });
    expect(history.stdout).not.toMatch(/^#2/m);
    // No argument: every committed subgraph SDL, checked against this running registry.
    expect(await cli(['check'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/check passed against version 1/) });

    const supergraph = await cli(['history', '--version', '1', '--part', 'supergraph']);
    expect(readFileSync(path.join(dataDir, 'supergraph-cache.graphql'), 'utf8')).toBe(supergraph.stdout.replace(/\n$/, ''));
    expect((await gql(app.url, '{ school { slug timezone } }', { tenant: 'demo' })).body.data.school).toEqual({
      slug: 'demo',
      timezone: 'Africa/Cairo',
    });
  });

  it('publishes nothing new on restart, and notifies a partner through the in-process broker', async () => {
    expect(await app.stop()).toBe(0);
    app = await startProcess('scripts/start.js', env, STARTED);
    expect((await cli(['history'])).stdout).not.toMatch(/^#2/m);

    const token = JSON.parse((await cli(['token', 'create', 'acme', '--scopes', 'partner', '--json'])).stdout).token;
    const hook = JSON.parse(
      (await runSchemaCli(['webhook', 'add', partner.url, '--json'], { DATA_DIR: dataDir, REGISTRY_TOKEN: token })).stdout,
    );
    const users = readFileSync('schema/subgraphs/users.graphql', 'utf8');
    const file = path.join(dataDir, 'users.graphql');
    writeFileSync(
      file,
      users.replace('A school (tenant). Its public profile is part of the partner contract.', 'A school (tenant): what partners see.'),
    );
    expect(await cli(['publish', 'users', '--file', file])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/published version 2/),
    });
    await eventually(() => expect(partner.received).toHaveLength(1));
    const [notice] = partner.received;
    expect(isSignedNotice(hook.secret, notice)).toBe(true);
    expect(JSON.parse(notice.body)).toMatchObject({ event: 'contract.updated', version: { number: 2 } });
  });
});
