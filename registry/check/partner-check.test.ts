import { readFileSync } from 'node:fs';
import type { RegistryClient } from '../client';
import { startTestRegistry, type TestRegistry } from '../../testkit/registry';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');
const USERS_URL = 'http://users:4001/graphql';
const withoutSchoolField = (field: string) => {
  const next = USERS.replace(new RegExp(`(type School\\b[\\s\\S]*?\\n)\\s*${field}: [^\\n]*\\n`), '$1');
  if (next === USERS) throw new Error(`School.${field} not found`);
  return [{ name: 'users', sdl: next }];
};
const PARTNER_OP = { id: 'b7'.repeat(32), name: 'AcmeSchoolTimezone', client: 'acme', partner: 'acme', count: 1 };
const PARTNER_FIELDS = ['Query', 'Query.school', 'School', 'School.timezone'];

/**
 * A breaking change that hits a field a partner's recorded operation uses is refused by checks,
 * publishes and approvals alike, whatever the usage window (here 0: usage is otherwise not even
 * kept); a change no partner's operation touches is judged as before. Retiring the operation is
 * the way through. MariaDB + RabbitMQ and SQLite + the in-process broker.
 */
describe.each(['mysql', 'sqlite'] as const)('checks protect partner operations on %s', (dialect) => {
  let registry: TestRegistry;
  let ci: RegistryClient;
  let gateway: RegistryClient;
  let owner: RegistryClient;

  beforeAll(async () => {
    registry = await startTestRegistry(dialect, { REGISTRY_USAGE_WINDOW_DAYS: '0' });
    ci = await registry.clientWith(['publish'], 'users-ci');
    gateway = await registry.clientWith(['read'], 'gateway');
    owner = await registry.clientWith(['approve', 'publish', 'read'], 'schema-owner');
    expect((await ci.publish([{ name: 'users', sdl: USERS, url: USERS_URL }], { force: true })).status).toBe(201);
    // A first-party app's use of School.slug: with a window of 0 it is not kept and counts for nothing.
    const report = await gateway.call('POST', '/v1/usage', {
      operations: [
        { ...PARTNER_OP, fields: PARTNER_FIELDS },
        { id: 'c8'.repeat(32), name: 'AppSlug', client: 'web', count: 5, fields: ['Query.school', 'School.slug'] },
      ],
    });
    expect(report.status).toBe(202);
  });
  afterAll(() => registry.stop());

  it('refuses a check, a publish and an approval that break the partner, naming it', async () => {
    const proposal = withoutSchoolField('timezone');
    const check = await ci.check(proposal);
    expect(check.body.ok).toBe(false);
    expect(check.body.breaksPartners).toEqual(
      expect.arrayContaining([
        { target: 'api', path: 'School.timezone', partners: ['acme'] },
        { target: 'contract', path: 'School.timezone', partners: ['acme'] },
      ]),
    );
    expect(check.body.breaking.find((c: { path: string }) => c.path === 'School.timezone').message).toMatch(/AcmeSchoolTimezone \(acme\)/);

    // Neither an approval given with the publish, nor one recorded beforehand, lets it through.
    const approved = await owner.publish(proposal, { approve: 'the partner agreed', force: true });
    expect([approved.status, approved.body.status]).toEqual([409, 'breaking']);
    const approval = await owner.approve(proposal, 'the partner agreed');
    expect([approval.status, approval.body.status]).toEqual([409, 'breaks_partners']);
    expect((await owner.call('GET', '/v1/approvals')).body.approvals).toEqual([]);
    expect((await gateway.history()).body.versions).toHaveLength(1);
  });

  it('judges a change no partner operation touches as before (window 0: breaking, approvable)', async () => {
    const proposal = withoutSchoolField('slug');
    const check = await ci.check(proposal);
    expect(check.body.breaksPartners).toEqual([]);
    expect(check.body.breaking.map((c: { path: string }) => c.path)).toContain('School.slug');
    const publish = await owner.publish(proposal, { approve: 'slug is going', force: true });
    expect([publish.status, publish.body.status]).toEqual([201, 'published']);
    // Back to the full schema for the next test (adding a field is safe).
    expect((await ci.publish([{ name: 'users', sdl: USERS }], { force: true })).status).toBe(201);
  });

  it("lists the partner's recorded operations per client, and lets an operator retire one", async () => {
    const partner = await registry.clientWith(['partner'], 'acme');
    const recorded = await partner.call('GET', '/v1/usage/partners');
    expect(recorded.body.operations).toEqual([
      expect.objectContaining({ partner: 'acme', id: PARTNER_OP.id, name: 'AcmeSchoolTimezone', fields: [...PARTNER_FIELDS].sort() }),
    ]);
    // Another partner sees only its own.
    const other = await registry.clientWith(['partner'], 'globex');
    expect((await other.call('GET', '/v1/usage/partners?partner=acme')).body.operations).toEqual([]);

    const path = `/v1/usage/partners/acme/operations/${PARTNER_OP.id}`;
    expect((await gateway.call('DELETE', path)).status).toBe(403);
    expect((await registry.admin.call('DELETE', path)).status).toBe(204);
    expect((await registry.admin.call('DELETE', path)).status).toBe(404);
    const check = await ci.check(withoutSchoolField('timezone'));
    expect(check.body.breaksPartners).toEqual([]);
    // Still breaking with a window of 0, now for the schema owners to approve.
    expect((await owner.approve(withoutSchoolField('timezone'), 'acme moved off timezone')).status).toBe(201);
  });
});
