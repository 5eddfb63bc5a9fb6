import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { printSubgraphSdl } from '../../platform/graphql/federation';
import { createLogger } from '../../platform/logger';
import { createTransport } from '../../platform/transport';
import { subgraph } from '../../subgraphs/catalog';
import { startTestRegistry, type TestRegistry } from '../../testkit/registry';
import { freePort } from '../../testkit/services';
import { startStack, type Stack } from '../../testkit/stack';
import { RegistryClient } from '../client';
import { startEmbeddedRegistry } from '../embedded';
import { compareServed } from './served-sdl';

/** The SDL the code of a subgraph serves (what `npm start` publishes). */
const codeSdl = async (name: string) => printSubgraphSdl(await subgraph(name).buildSchema());
const withField = (sdl: string, type: string, line: string) => {
  const next = sdl.replace(new RegExp(`(type ${type}\\b[^{]*\\{\\n)`), `$1  ${line}\n`);
  if (next === sdl) throw new Error(`type ${type} not found`);
  return next;
};

/**
 * "The registry publishes what runs": a publish asks each published subgraph for its own
 * `_service { sdl }` at the routing URL, signed as the gateway signs, and is refused with the
 * differences when they disagree, unless forced (and then the version says so).
 */
describe('publishes checked against the running subgraphs', () => {
  let stack: Stack;
  let registry: TestRegistry;
  let ci: RegistryClient;
  let reader: RegistryClient;
  const sdl: Record<string, string> = {};
  const url = (name: string) => `${stack.url(name)}/graphql`;

  beforeAll(async () => {
    stack = await startStack('sqlite', {}, { subgraphs: ['users', 'courses'] });
    // The gateway's key, as a deployment gives the registry (INTERNAL_SIGNING_KEYS).
    registry = await startTestRegistry('sqlite', { INTERNAL_SIGNING_KEYS: stack.keys.internal });
    ci = await registry.clientWith(['publish'], 'courses-ci');
    reader = await registry.clientWith(['read'], 'reader');
    for (const name of ['users', 'courses']) sdl[name] = await codeSdl(name);
  });
  afterAll(async () => {
    await registry?.stop();
    await stack?.stop();
  });

  it('publishes the SDL the subgraphs serve, having asked them', async () => {
    const publish = await ci.publish([
      { name: 'users', sdl: sdl.users, url: url('users') },
      { name: 'courses', sdl: sdl.courses, url: url('courses') },
    ]);
    expect(publish.status).toBe(201);
    expect(publish.body.version.forced).toBeNull();
    expect(publish.body.served).toEqual([
      { name: 'users', url: url('users'), checkedAt: url('users'), ok: true, differences: [] },
      { name: 'courses', url: url('courses'), checkedAt: url('courses'), ok: true, differences: [] },
    ]);
  });

  it('refuses a field the running courses subgraph does not serve, naming it; forced, it is published and the version records it', async () => {
    const proposal = [{ name: 'courses', sdl: withField(sdl.courses, 'Course', 'syllabusUrl: String') }];
    // The check alone finds nothing wrong: an added field is a safe change.
    expect((await ci.check(proposal)).body).toMatchObject({ ok: true, breaking: [] });

    const refused = await ci.publish(proposal);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ status: 'not_served' });
    expect(refused.body.served).toEqual([
      {
        name: 'courses',
        url: url('courses'),
        checkedAt: url('courses'),
        ok: false,
        differences: [
          {
            type: 'FIELD_ADDED',
            path: 'Course.syllabusUrl',
            message: 'Course.syllabusUrl is in the proposal but courses does not serve it',
          },
        ],
      },
    ]);
    expect((await reader.history()).body.versions).toHaveLength(1);

    const forced = await ci.publish(proposal, { force: true, message: 'the deploy lags behind' });
    expect(forced.status).toBe(201);
    expect(forced.body.version).toMatchObject({ number: 2, forced: `courses at ${url('courses')}: Course.syllabusUrl` });
    const [latest] = (await reader.history()).body.versions;
    expect(latest).toMatchObject({ number: 2, forced: expect.stringContaining('Course.syllabusUrl'), message: 'the deploy lags behind' });
  });

  it('lists fields the proposal drops and fields the subgraph does not have, from the publisher side', async () => {
    const dropped = sdl.users.replace(/\n\s*timezone: String!/, '');
    const differences = await compareServed('users', withField(dropped, 'School', 'motto: String'), sdl.users);
    expect(differences).toEqual([
      { type: 'FIELD_REMOVED', path: 'School.timezone', message: 'School.timezone is served by users but missing from the proposal' },
      { type: 'FIELD_ADDED', path: 'School.motto', message: 'School.motto is in the proposal but users does not serve it' },
    ]);
    // Documentation only: not a reason to refuse.
    const described = sdl.users.replace('A school (tenant). Its public profile is part of the partner contract.', 'A school.');
    expect(described).not.toBe(sdl.users);
    expect(await compareServed('users', described, sdl.users)).toEqual([]);
  });

  it('refuses an unreachable routing URL with the reason, unless forced', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}/graphql`;
    // The published SDL as it stands (no schema change): only the URL moves.
    const current = (await reader.call('GET', '/v1/subgraphs/courses')).body.sdl as string;
    const refused = await ci.publish([{ name: 'courses', sdl: current, url: nowhere }]);
    expect(refused.status).toBe(409);
    expect(refused.body.served).toEqual([
      expect.objectContaining({
        name: 'courses',
        ok: false,
        error: `could not reach courses at ${nowhere}: ECONNREFUSED`,
        differences: [],
      }),
    ]);
    const forced = await ci.publish([{ name: 'courses', sdl: current, url: nowhere }], { force: true });
    expect(forced.status).toBe(201);
    expect(forced.body.version.forced).toBe(`could not reach courses at ${nowhere}: ECONNREFUSED`);
  });

  it("says so when a subgraph refuses the registry's signature (a key other than the gateway's)", async () => {
    const stranger = await startTestRegistry('sqlite');
    try {
      const client = await stranger.clientWith(['publish']);
      const refused = await client.publish([{ name: 'users', sdl: sdl.users, url: url('users') }]);
      expect(refused.status).toBe(409);
      expect(refused.body.served[0].error).toMatch(/refused the registry's signed context \(HTTP 401\).*INTERNAL_SIGNING_KEYS/);
    } finally {
      await stranger.stop();
    }
  });

  it('under npm start, checks the subgraphs where this process runs them, not at the committed routing URLs', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'registry-embedded-'));
    const transport = createTransport({ name: 'embedded-test' });
    const committed = [
      { name: 'users', sdl: sdl.users, url: 'http://127.0.0.1:4001/graphql' },
      { name: 'courses', sdl: sdl.courses, url: 'http://127.0.0.1:4002/graphql' },
    ];
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      INTERNAL_SIGNING_KEYS: stack.keys.internal,
      PRUNE_INTERVAL_MINUTES: '0',
    };
    const running = { users: url('users'), courses: url('courses') };
    const embedded = await startEmbeddedRegistry(env, transport, committed, createLogger('embedded-test'), running);
    try {
      const client = new RegistryClient(embedded.url, embedded.gatewayEnv.REGISTRY_TOKEN);
      const [version] = (await client.history()).body.versions;
      expect(version).toMatchObject({ number: 1, forced: null, subgraphs: ['users', 'courses'] });
      // A proposal the running courses does not serve is refused there too.
      const refused = await client.publish([{ name: 'courses', sdl: withField(sdl.courses, 'Course', 'syllabusUrl: String') }]);
      expect(refused.body.served).toEqual([
        expect.objectContaining({ url: 'http://127.0.0.1:4002/graphql', checkedAt: url('courses'), ok: false }),
      ]);
    } finally {
      await embedded.service.stop();
      await transport.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
