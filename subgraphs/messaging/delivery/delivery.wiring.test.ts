import { randomUUID } from 'node:crypto';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { DEMO } from '../../../platform/demo';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { deleteRabbitQueues } from '../../../testkit/cleanup';
import { eventually } from '../../../testkit/eventually';
import { request } from '../../../testkit/graphql-client';
import { startStub, type StubServer } from '../../../testkit/providers/http-stub';
import { startStack, type Stack } from '../../../testkit/stack';
import { twilioSignature } from '../channels/twilio/twilio-signature';
import { Contact } from '../contact/contact.entity';
import { recordDeliveryJob } from '../notification/delivery-job';
import { Channel, DeliveryStatus, Notification } from '../notification/notification.entity';

const ACCOUNT = 'AC00000000000000000000000000wired';
const AUTH_TOKEN = 'wired-auth-token';
const PUBLIC_URL = 'https://api.manassa.test';
const school = DEMO.schools.demo.id;

/**
 * Delivery as the messaging service wires it, in production mode (MariaDB, RabbitMQ, Redis) and
 * embedded (SQLite, in-process broker) (app.ts → delivery.wiring.ts → the host): the SMS
 * worker bound by the host from the wiring's consumers sends through Twilio (a local stand-in),
 * the scheduler runs on its interval, and Twilio's callback reaches the status route through the
 * gateway's public /webhooks/twilio/status, signed over MESSAGING_PUBLIC_URL.
 */
describe.each(['mysql', 'sqlite'] as const)('delivery wired into the messaging service (%s)', (dialect) => {
  let twilio: StubServer;
  let stack: Stack;
  /** Queues of instances replaced by `restart` (the stack deletes those of the running ones). */
  const replaced: string[] = [];

  beforeAll(async () => {
    twilio = await startStub((req) =>
      req.method === 'POST' && req.path === `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`
        ? { status: 201, body: { sid: `SM${randomUUID().replace(/-/g, '')}`, status: 'queued' } }
        : undefined,
    );
    stack = await startStack(
      dialect,
      {
        TWILIO_BASE_URL: twilio.url,
        TWILIO_ACCOUNT_SID: ACCOUNT,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_SMS_FROM: '+201000000001',
        MESSAGING_PUBLIC_URL: PUBLIC_URL,
        MESSAGING_SWEEP_INTERVAL_MS: '50',
        DELIVERY_RETRY_DELAYS_MS: '50,50',
      },
      { subgraphs: ['users', 'messaging'] },
    );
  });
  afterAll(async () => {
    await stack?.stop();
    if (dialect === 'mysql') await deleteRabbitQueues(replaced, []);
    await twilio?.close();
  });

  const messaging = () => stack.service<SubgraphService>('messaging');
  const em = () => scopeToTenant(messaging().orm().em.fork(), school);
  const row = (id: string) =>
    messaging()
      .orm()
      .em.fork()
      .findOneOrFail(Notification, { id }, { filters: { [TENANT_FILTER]: false } });

  const smsTo = async (fields: Partial<Notification> = {}) => {
    const tx = em();
    const contact = tx.create(Contact, { id: randomUUID(), schoolId: school, roles: [], phone: '+201011112222', observedAt: new Date() });
    const n = tx.create(Notification, {
      schoolId: school,
      recipientId: contact.id,
      category: 'account',
      templateKey: 'digest',
      channel: Channel.SMS,
      locale: 'EN',
      variables: { items: [{ title: 'Quiz graded', body: 'Physics: 18/20' }] },
      dedupeKey: `wired:${randomUUID()}`,
      ...fields,
    });
    if (n.status === DeliveryStatus.QUEUED) recordDeliveryJob(tx, n);
    await tx.flush();
    return n;
  };

  const postCallback = (path: string, params: Record<string, string>, signature: string) =>
    request(`${new URL(stack.gatewayUrl).origin}${path}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });

  it('binds one delivery queue per channel through the host', () => {
    const queues = messaging().queues();
    for (const channel of ['sms', 'whatsapp', 'email', 'push', 'in-app']) {
      expect(queues.some((q) => q.endsWith(`messaging.deliver.${channel}`))).toBe(true);
    }
  });

  it('sends an SMS rendered from its template, and takes its status from the callback forwarded by the gateway', async () => {
    const n = await smsTo();
    await eventually(async () => expect((await row(n.id)).status).toBe(DeliveryStatus.SENT));
    const sent = twilio.requests.find((r) => new URLSearchParams(r.text).get('StatusCallback')?.includes(n.id))!;
    const form = new URLSearchParams(sent.text);
    expect(form.get('To')).toBe('+201011112222');
    expect(form.get('Body')).toContain('Quiz graded');
    const callbackUrl = new URL(form.get('StatusCallback')!);
    expect(callbackUrl.origin + callbackUrl.pathname).toBe(`${PUBLIC_URL}/webhooks/twilio/status`);
    const { providerMessageId } = await row(n.id);

    const path = callbackUrl.pathname + callbackUrl.search;
    const params = { MessageSid: providerMessageId!, MessageStatus: 'delivered', AccountSid: ACCOUNT, To: '+201011112222' };
    // Signed for the local address instead of the public one Twilio was given: refused.
    const wrongUrl = await postCallback(path, params, twilioSignature(`${new URL(stack.gatewayUrl).origin}${path}`, params, AUTH_TOKEN));
    expect(wrongUrl.status).toBe(403);
    expect((await row(n.id)).status).toBe(DeliveryStatus.SENT);

    const answer = await postCallback(path, params, twilioSignature(`${PUBLIC_URL}${path}`, params, AUTH_TOKEN));
    expect(answer.status).toBe(204);
    expect((await row(n.id)).status).toBe(DeliveryStatus.DELIVERED);
  });

  it('runs the scheduler on its interval: a due scheduled notification goes out', async () => {
    const n = await smsTo({ status: DeliveryStatus.SCHEDULED, scheduledAt: new Date(Date.now() - 1000) });
    await eventually(async () => expect((await row(n.id)).status).toBe(DeliveryStatus.SENT));
  });

  it('counts deliveries on the service’s /metrics', async () => {
    const metrics = await request(`${stack.url('messaging')}/metrics`, { method: 'GET' });
    expect(metrics.text).toMatch(/messaging_deliveries_total\{channel="SMS",outcome="sent"[^}]*\} [1-9]/);
  });

  it('binds no delivery worker with DELIVERY_WORKERS=off (an API-only replica)', async () => {
    replaced.push(...messaging().queues());
    await stack.restart('messaging', { DELIVERY_WORKERS: 'off' });
    expect(
      messaging()
        .queues()
        .some((q) => q.includes('messaging.deliver.')),
    ).toBe(false);
  });
});
