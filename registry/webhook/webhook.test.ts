import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eventually } from '../../testkit/eventually';
import { RegistryClient } from '../client';
import {
  isSignedNotice,
  partnerEndpoint,
  startTestRegistry,
  TEST_RETRY_DELAYS_MS,
  type PartnerEndpoint,
  type TestRegistry,
} from '../../testkit/registry';
import { metric } from '../../testkit/metrics';
import { DELIVERY_HEADER, EVENT_HEADER } from './signature';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');
// Nothing serves users' routing URL here: publishes are forced past the served-SDL check.
const force = true;
const addToType = (sdl: string, type: string, line: string) => sdl.replace(new RegExp(`(type ${type}\\b[^{]*\\{\\n)`), `$1  ${line}\n`);

/** Partners get a signed notice when their contract changes, retried through the broker (RabbitMQ or in-process). */
describe.each(['mysql', 'sqlite'] as const)('partner webhooks on %s', (dialect) => {
  let registry: TestRegistry;
  let ci: RegistryClient;
  let partner: RegistryClient;
  let flaky: PartnerEndpoint;
  let down: PartnerEndpoint;

  beforeAll(async () => {
    registry = await startTestRegistry(dialect);
    ci = await registry.clientWith(['publish']);
    partner = await registry.clientWith(['partner'], 'acme');
    expect((await ci.publish([{ name: 'users', sdl: USERS, url: 'http://users:4001/graphql' }], { force })).status).toBe(201);
    flaky = await partnerEndpoint([503]);
    down = await partnerEndpoint(Array(10).fill(500));
  });
  afterAll(async () => {
    await registry.stop();
    await flaky.close();
    await down.close();
  });

  it('delivers a correctly signed notice after a contract change, retrying a failed attempt', async () => {
    const registered = await partner.call('POST', '/v1/webhooks', { url: flaky.url });
    expect(registered.status).toBe(201);
    const secret: string = registered.body.secret;
    expect(secret).toMatch(/^whsec_/);

    const publish = await ci.publish([{ name: 'users', sdl: addToType(USERS, 'School', 'motto: String') }], { force });
    expect(publish.body).toMatchObject({ status: 'published', contractChanged: true });

    await eventually(() => expect(flaky.received).toHaveLength(2));
    const [first, second] = flaky.received;
    for (const notice of [first, second]) {
      expect(isSignedNotice(secret, notice)).toBe(true);
      expect(notice.headers[EVENT_HEADER]).toBe('contract.updated');
    }
    // A retry is the same delivery: partners deduplicate on its id.
    expect(second.headers[DELIVERY_HEADER]).toBe(first.headers[DELIVERY_HEADER]);
    expect(isSignedNotice('whsec_someone-else', second)).toBe(false);
    expect(isSignedNotice(secret, { ...second, body: second.body.replace('motto', 'mottO') })).toBe(false);

    const notice = JSON.parse(second.body);
    const contract = await partner.contract();
    expect(notice).toEqual({
      event: 'contract.updated',
      delivery: second.headers[DELIVERY_HEADER],
      contract: 'partner',
      version: { id: publish.body.version.id, number: 2, createdAt: expect.any(String) },
      contractHash: contract.headers.get('etag')!.replaceAll('"', ''),
      changes: [{ level: 'safe', type: 'FIELD_ADDED', path: 'School.motto', message: expect.stringContaining('motto') }],
      url: `${registry.url.replace('127.0.0.1', 'localhost')}/v1/contracts/partner`,
    });
    await eventually(async () =>
      expect((await partner.call('GET', '/v1/webhooks')).body.webhooks[0].deliveries).toEqual([
        expect.objectContaining({ id: notice.delivery, status: 'delivered', attempts: 2, lastError: null }),
      ]),
    );
  });

  it('owes no notice for a change outside the contract', async () => {
    const current = (await registry.admin.call('GET', '/v1/subgraphs/users')).body.sdl;
    const publish = await ci.publish([{ name: 'users', sdl: addToType(current, 'User', 'nickname: String') }], { force });
    expect(publish.body).toMatchObject({ status: 'published', contractChanged: false });
    // Deliveries are written in the publish's transaction: none means none will ever be sent.
    expect((await partner.call('GET', '/v1/webhooks')).body.webhooks[0].deliveries).toHaveLength(1);
  });

  it('gives up after the last retry: the delivery is failed and dead-lettered', async () => {
    const hook = await partner.call('POST', '/v1/webhooks', { url: down.url });
    const current = (await registry.admin.call('GET', '/v1/subgraphs/users')).body.sdl;
    expect(
      (await ci.publish([{ name: 'users', sdl: addToType(current, 'School', 'website: String') }], { force })).body.contractChanged,
    ).toBe(true);
    await eventually(async () => {
      const mine = (await partner.call('GET', '/v1/webhooks')).body.webhooks.find((w: { id: string }) => w.id === hook.body.id);
      expect(mine.deliveries).toEqual([
        expect.objectContaining({
          status: 'failed',
          attempts: TEST_RETRY_DELAYS_MS.length + 1,
          lastError: 'partner endpoint answered HTTP 500',
        }),
      ]);
    });
    expect(down.received).toHaveLength(TEST_RETRY_DELAYS_MS.length + 1);
    // The status is saved before the last attempt's failure reaches the broker.
    await eventually(async () => {
      const dead = await registry.transport.broker.deadLetters<{ deliveryId: string }>(registry.queue);
      expect(dead.map((m) => m.payload.deliveryId)).toEqual([down.received[0].headers[DELIVERY_HEADER]]);
    });
  });

  it('prunes finished deliveries past their retention (default 720 h), keeping pending and recent ones, and counts them', async () => {
    const em = registry.service.orm().em.fork();
    const daysAgo = (d: number) => new Date(Date.now() - d * 24 * 3_600_000);
    const row = (status: DeliveryStatus, createdAt: Date) => ({
      id: randomUUID(),
      webhookId: randomUUID(),
      versionId: randomUUID(),
      status,
      attempts: 1,
      createdAt,
    });
    const old = [row(DeliveryStatus.delivered, daysAgo(31)), row(DeliveryStatus.failed, daysAgo(40))];
    const kept = [row(DeliveryStatus.delivered, daysAgo(29)), row(DeliveryStatus.pending, daysAgo(60))];
    await em.insertMany(WebhookDelivery, [...old, ...kept]);
    const before = await metric(registry.url, 'pruned_rows_total', { table: 'webhook_delivery' });

    expect(await registry.service.pruner().runOnce()).toEqual({ webhook_delivery: 2 });
    const ids = [...old, ...kept].map((d) => d.id);
    const left = await registry.service
      .orm()
      .em.fork()
      .find(WebhookDelivery, { id: { $in: ids } });
    expect(left.map((d) => d.id).sort()).toEqual(kept.map((d) => d.id).sort());
    expect(await metric(registry.url, 'pruned_rows_total', { table: 'webhook_delivery' })).toBe(before + 2);
  });

  it('lets a partner see and remove only its own webhooks', async () => {
    const other = await registry.clientWith(['partner'], 'globex');
    expect((await other.call('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
    const mine = (await partner.call('GET', '/v1/webhooks')).body.webhooks;
    expect((await other.call('DELETE', `/v1/webhooks/${mine[0].id}`)).status).toBe(404);
    expect((await partner.call('DELETE', `/v1/webhooks/${mine[0].id}`)).status).toBe(204);
    expect((await partner.call('GET', '/v1/webhooks')).body.webhooks).toHaveLength(mine.length - 1);
    expect(JSON.stringify(mine)).not.toContain('whsec_');
  });
});
