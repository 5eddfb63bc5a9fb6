import { readFileSync } from 'node:fs';
import type { RegistryClient } from '../client';
import { startTestRegistry, type TestRegistry } from '../../testkit/registry';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');
const USERS_URL = 'http://users:4001/graphql';
// Nothing serves these routing URLs: every publish here is forced past the served-SDL check,
// which registry/publish/served-sdl.test.ts covers against running subgraphs.
const force = true;
const withoutField = (sdl: string, type: string, field: string) => {
  const next = sdl.replace(new RegExp(`(type ${type}\\b[\\s\\S]*?\\n)(\\s*"""[^"]*"""\\n)?\\s*${field}[(:][^\\n]*\\n`), '$1');
  if (next === sdl) throw new Error(`${type}.${field} not found`);
  return next;
};
const withField = (sdl: string, type: string, line: string) => sdl.replace(new RegExp(`(type ${type}\\b[^{]*\\{\\n)`), `$1  ${line}\n`);

/** A second team's subgraph; `hasNextPage: Int!` disagrees with the users subgraph's PageInfo. */
const catalog = (
  hasNextPage: string,
) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable"])
type Query { catalogPage: PageInfo! }
type PageInfo @shareable { hasNextPage: ${hasNextPage}  endCursor: String }
`;

/** The checks and publishes subgraph teams run, on MariaDB + RabbitMQ and on SQLite + the in-process broker. */
describe.each(['mysql', 'sqlite'] as const)('publish and check on %s', (dialect) => {
  let registry: TestRegistry;
  let ci: RegistryClient;
  let gateway: RegistryClient;
  let owner: RegistryClient;

  beforeAll(async () => {
    registry = await startTestRegistry(dialect);
    ci = await registry.clientWith(['publish'], 'users-ci');
    gateway = await registry.clientWith(['read'], 'gateway');
    owner = await registry.clientWith(['approve', 'publish', 'read'], 'schema-owner');
    expect((await ci.publish([{ name: 'users', sdl: USERS, url: USERS_URL }], { message: 'first', force })).status).toBe(201);
    // What the gateway's usage reporter posts: an operation selecting School.timezone.
    const report = await gateway.call('POST', '/v1/usage', {
      operations: [
        {
          id: 'a1'.repeat(32),
          name: 'SchoolTimezone',
          client: 'student-app',
          count: 42,
          fields: ['Query', 'Query.school', 'School', 'School.timezone'],
        },
      ],
    });
    expect(report.status).toBe(202);
  });
  afterAll(() => registry.stop());

  it('refuses to remove a field recorded operations use, in check and publish, naming the field and the operations', async () => {
    const proposal = [{ name: 'users', sdl: withoutField(USERS, 'School', 'timezone') }];
    const check = await ci.check(proposal);
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    expect(check.body.breaking).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          target: 'api',
          type: 'FIELD_REMOVED',
          path: 'School.timezone',
          usedBy: [expect.objectContaining({ name: 'SchoolTimezone', count: 42, clients: ['student-app'] })],
        }),
      ]),
    );
    expect(check.body.breaking[0].message).toMatch(/School\.timezone[\s\S]*SchoolTimezone/);

    const publish = await ci.publish(proposal, { force });
    expect(publish.status).toBe(409);
    expect(publish.body.status).toBe('breaking');
    expect(publish.body.breaking.map((c: { path: string }) => c.path)).toContain('School.timezone');
    expect((await gateway.history()).body.versions).toHaveLength(1);
  });

  it('lets an unused field go (dangerous, not breaking) and a new field in (safe)', async () => {
    const removal = await ci.check([{ name: 'users', sdl: withoutField(USERS, 'Invitation', 'acceptedAt') }]);
    expect(removal.body).toMatchObject({ ok: true, breaking: [] });
    expect(removal.body.changes).toEqual([
      expect.objectContaining({ type: 'FIELD_REMOVED', path: 'Invitation.acceptedAt', level: 'dangerous' }),
    ]);

    const added = withField(USERS, 'User', 'nickname: String');
    const check = await ci.check([{ name: 'users', sdl: added }]);
    expect(check.body).toMatchObject({
      ok: true,
      contractChanged: false,
      changes: [expect.objectContaining({ type: 'FIELD_ADDED', path: 'User.nickname', level: 'safe' })],
    });
    const publish = await ci.publish([{ name: 'users', sdl: added }], { author: 'ci#123', message: 'User.nickname', force });
    expect(publish.status).toBe(201);
    expect(publish.body.version).toMatchObject({ number: 2, author: 'users-ci (ci#123)', message: 'User.nickname', subgraphs: ['users'] });
    // The same SDL again stores nothing.
    expect((await ci.publish([{ name: 'users', sdl: added }], { force })).body).toMatchObject({
      status: 'unchanged',
      version: { number: 2 },
    });
  });

  it('records an approval that lets a breaking change through, once, for exactly what was approved', async () => {
    const current = (await gateway.call('GET', '/v1/subgraphs/users')).body.sdl as string;
    const proposal = [{ name: 'users', sdl: withoutField(current, 'School', 'timezone') }];
    expect((await ci.publish(proposal, { approve: 'ci cannot approve', force })).status).toBe(403);

    const approval = await owner.approve(proposal, 'Timezone moves to the settings API; the app is updated');
    expect(approval.status).toBe(201);
    expect(approval.body).toMatchObject({ approvedBy: 'schema-owner', subgraphs: ['users'], versionId: null });
    expect(approval.body.changes).toEqual(
      expect.arrayContaining(['api:FIELD_REMOVED School.timezone', 'contract:FIELD_REMOVED School.timezone']),
    );

    const publish = await ci.publish(proposal, { force });
    expect(publish.status).toBe(201);
    expect(publish.body.approvalId).toBe(approval.body.id);
    const approvals = (await gateway.call('GET', '/v1/approvals')).body.approvals;
    expect(approvals[0]).toMatchObject({
      id: approval.body.id,
      versionId: publish.body.version.id,
      reason: 'Timezone moves to the settings API; the app is updated',
    });

    // Putting it back and removing it again is a new proposal: the old approval does not cover it.
    expect((await owner.publish([{ name: 'users', sdl: current }], { approve: 'restore', force })).status).toBe(201);
    // Forcing is about what runs, never about breaking changes.
    expect((await ci.publish(proposal, { force })).status).toBe(409);
  });

  it('reports a composition error with the subgraphs, the type and what to change', async () => {
    const proposal = [{ name: 'catalog', sdl: catalog('Int!'), url: 'http://catalog:4009/graphql' }];
    const check = await ci.check(proposal);
    expect(check.body.ok).toBe(false);
    expect(check.body.compositionErrors).toEqual([
      expect.objectContaining({
        code: 'FIELD_TYPE_MISMATCH',
        subgraphs: ['catalog', 'users'],
        types: ['PageInfo'],
        fields: ['PageInfo.hasNextPage'],
        locations: expect.arrayContaining([
          expect.objectContaining({ subgraph: 'catalog' }),
          expect.objectContaining({ subgraph: 'users' }),
        ]),
        hint: expect.stringMatching(/PageInfo\.hasNextPage.*same type/),
      }),
    ]);
    const publish = await ci.publish(proposal, { force });
    expect(publish.status).toBe(422);
    expect(publish.body.compositionErrors[0].code).toBe('FIELD_TYPE_MISMATCH');
    // Agreeing on the type composes.
    expect((await ci.publish([{ ...proposal[0], sdl: catalog('Boolean!') }], { force })).status).toBe(201);
  });

  it('keeps every version with its changelog, supergraph, API schema and partner contract', async () => {
    const { versions } = (await gateway.history(50)).body;
    expect(versions.map((v: { number: number }) => v.number)).toEqual([5, 4, 3, 2, 1]);
    expect(versions.find((v: { number: number }) => v.number === 2).changes).toEqual([
      { target: 'api', level: 'safe', type: 'FIELD_ADDED', path: 'User.nickname', message: expect.stringContaining('nickname') },
    ]);
    for (const v of versions)
      expect(v).toMatchObject({
        id: expect.any(String),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        createdAt: expect.any(String),
        author: expect.any(String),
      });
    const first = versions[versions.length - 1];
    expect((await gateway.version(first.id, 'supergraph')).body).toMatch(
      /join__graph\(name: "users", url: "http:\/\/users:4001\/graphql"\)/,
    );
    expect((await gateway.version('1', 'api')).body).toMatch(/type Query/);
    expect((await gateway.version('1', 'contract')).body).toMatch(/type School \{[\s\S]*timezone: String!/);
    expect((await gateway.version('3', 'contract')).body).not.toMatch(/timezone/);
  });
});
