import { promises as dns, type LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import { eventually } from '../../testkit/eventually';
import { partnerEndpoint, startTestRegistry, type PartnerEndpoint, type TestRegistry } from '../../testkit/registry';
import type { RegistryClient } from '../client';
import { ForbiddenTargetError, forbiddenRange, TargetPolicy, type Resolve } from './target-policy';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');
const addToType = (sdl: string, type: string, line: string) => sdl.replace(new RegExp(`(type ${type}\\b[^{]*\\{\\n)`), `$1  ${line}\n`);

/**
 * Names resolve to what the test says (no test asks a DNS server, and none connects beyond
 * loopback); other names (localhost) resolve as the system resolves them.
 */
function fakeDns(initial: Record<string, string[]>) {
  const table = { ...initial };
  const resolve: Resolve = async (hostname) => {
    const fixed = table[hostname];
    if (!fixed) return dns.lookup(hostname, { all: true, verbatim: true });
    return fixed.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { table, resolve };
}

const PUBLIC_V4 = '93.184.216.34';
const PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946';

describe('webhook target addresses', () => {
  it('allows global unicast addresses only', () => {
    for (const ok of [PUBLIC_V4, PUBLIC_V6, '8.8.8.8']) expect(forbiddenRange(ok)).toBeUndefined();
    const refused: Record<string, string> = {
      '127.0.0.1': 'loopback',
      '127.8.9.10': 'loopback',
      '::1': 'loopback',
      '10.0.0.1': 'private',
      '172.16.0.1': 'private',
      '172.31.255.254': 'private',
      '192.168.1.10': 'private',
      '169.254.169.254': 'linkLocal',
      'fe80::1': 'linkLocal',
      'fc00::1': 'uniqueLocal',
      'fd12:3456::1': 'uniqueLocal',
      '0.0.0.0': 'unspecified',
      '::': 'unspecified',
      '::ffff:127.0.0.1': 'ipv4Mapped',
      '::ffff:10.0.0.1': 'ipv4Mapped',
      '::ffff:93.184.216.34': 'ipv4Mapped',
      '100.64.0.1': 'carrierGradeNat',
      '64:ff9b::a00:1': 'rfc6052',
      '224.0.0.1': 'multicast',
    };
    for (const [address, range] of Object.entries(refused)) expect([address, forbiddenRange(address)]).toEqual([address, range]);
  });

  it('refuses a name when any of its addresses is not public, and a name that does not resolve', async () => {
    const { resolve } = fakeDns({
      'partner.example': [PUBLIC_V4, PUBLIC_V6],
      'rebind.example': [PUBLIC_V4, '10.0.0.1'],
      'mapped.example': ['::ffff:127.0.0.1'],
    });
    const policy = new TargetPolicy(false, resolve);
    expect((await policy.addresses(new URL('https://partner.example/hook'))).map((a) => a.address)).toEqual([PUBLIC_V4, PUBLIC_V6]);
    await expect(policy.addresses(new URL('https://rebind.example/hook'))).rejects.toThrow(
      'rebind.example resolves to an address that is not public: 10.0.0.1 (private)',
    );
    await expect(policy.addresses(new URL('https://mapped.example/hook'))).rejects.toThrow(/::ffff:127\.0\.0\.1 \(ipv4Mapped\)/);
    await expect(policy.addresses(new URL('https://localhost/hook'))).rejects.toThrow(/localhost resolves to .*\(loopback\)/);
    await expect(policy.addresses(new URL('https://[::1]/hook'))).rejects.toThrow(ForbiddenTargetError);
    await expect(policy.addresses(new URL('https://nothing.invalid/hook'))).rejects.toThrow(/nothing\.invalid does not resolve/);
    // Outside production anything resolvable goes (local partners' endpoints).
    expect((await new TargetPolicy(true, resolve).addresses(new URL('http://localhost/hook'))).length).toBeGreaterThan(0);
  });
});

/** A registry with production's rule (REGISTRY_WEBHOOK_PRIVATE_TARGETS=0) while tests may still use http://. */
describe('partner webhooks under the production address rule', () => {
  const dns = fakeDns({ 'partner.example': [PUBLIC_V4] });
  let registry: TestRegistry;
  let ci: RegistryClient;
  let partner: RegistryClient;
  let endpoint: PartnerEndpoint;

  beforeAll(async () => {
    registry = await startTestRegistry('sqlite', { REGISTRY_WEBHOOK_PRIVATE_TARGETS: '0' }, dns.resolve);
    ci = await registry.clientWith(['publish']);
    partner = await registry.clientWith(['partner'], 'acme');
    // Nothing serves users' routing URL here: forced past the served-SDL check.
    expect((await ci.publish([{ name: 'users', sdl: USERS, url: 'http://users:4001/graphql' }], { force: true })).status).toBe(201);
    endpoint = await partnerEndpoint();
  });
  afterAll(async () => {
    await registry.stop();
    await endpoint.close();
  });

  it.each([
    ['http://localhost:8080/hook', 'localhost resolves to an address that is not public'],
    ['http://127.0.0.1/hook', '127.0.0.1 (loopback)'],
    ['http://[::1]/hook', '::1 (loopback)'],
    ['http://10.0.0.1/hook', '10.0.0.1 (private)'],
    ['http://172.16.3.4/hook', '172.16.3.4 (private)'],
    ['http://192.168.1.10/hook', '192.168.1.10 (private)'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 (linkLocal)'],
    ['http://[fe80::1]/hook', 'fe80::1 (linkLocal)'],
    ['http://[fd00::1]/hook', 'fd00::1 (uniqueLocal)'],
    ['http://0.0.0.0/hook', '0.0.0.0 (unspecified)'],
    ['http://[::ffff:127.0.0.1]/hook', '(ipv4Mapped)'],
  ])('refuses to register %s', async (url, reason) => {
    const res = await partner.call('POST', '/v1/webhooks', { url });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toContain(reason);
  });

  it('checks again at delivery: a name that resolved to a public address at registration and now resolves to loopback is not called', async () => {
    const port = new URL(endpoint.url).port;
    const registered = await partner.call('POST', '/v1/webhooks', { url: `http://partner.example:${port}/hooks/manassa` });
    expect(registered.status).toBe(201);
    // DNS rebinding: the same name now points at the registry's own machine, where the endpoint listens.
    dns.table['partner.example'] = ['127.0.0.1'];
    const publish = await ci.publish([{ name: 'users', sdl: addToType(USERS, 'School', 'motto: String') }], { force: true });
    expect(publish.body).toMatchObject({ status: 'published', contractChanged: true });
    await eventually(async () => {
      const [hook] = (await partner.call('GET', '/v1/webhooks')).body.webhooks;
      expect(hook.deliveries).toEqual([
        expect.objectContaining({
          status: 'failed',
          lastError: 'partner.example resolves to an address that is not public: 127.0.0.1 (loopback)',
        }),
      ]);
    });
    expect(endpoint.received).toEqual([]);
  });
});

describe('partner webhook delivery', () => {
  it('connects to the address the check resolved, not to a second resolution', async () => {
    // Only the registry's resolver knows this name (the system's would fail: .invalid never resolves).
    const dns = fakeDns({ 'partner.invalid': ['127.0.0.1'] });
    const registry = await startTestRegistry('sqlite', {}, dns.resolve);
    const endpoint = await partnerEndpoint();
    try {
      const ci = await registry.clientWith(['publish']);
      const partner = await registry.clientWith(['partner'], 'acme');
      expect((await ci.publish([{ name: 'users', sdl: USERS, url: 'http://users:4001/graphql' }], { force: true })).status).toBe(201);
      const url = endpoint.url.replace('127.0.0.1', 'partner.invalid');
      expect((await partner.call('POST', '/v1/webhooks', { url })).status).toBe(201);
      await ci.publish([{ name: 'users', sdl: addToType(USERS, 'School', 'motto: String') }], { force: true });
      await eventually(() => expect(endpoint.received).toHaveLength(1));
      expect(endpoint.received[0].headers.host).toBe(new URL(url).host);
    } finally {
      await registry.stop();
      await endpoint.close();
    }
  });
});
