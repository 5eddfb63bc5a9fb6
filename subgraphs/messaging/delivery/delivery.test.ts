import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { simpleParser } from 'mailparser';
import type { Counter } from 'prom-client';
import { SMTPServer } from 'smtp-server';
import type { Consumer } from '../../../platform/broker/message-broker';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { createHttpApp, listen, type RunningServer } from '../../../platform/http';
import { createLogger } from '../../../platform/logger';
import { createMetrics } from '../../../platform/metrics';
import { OutboxMessage, outboxEntities, recordEvent, startOutboxRelay, type OutboxRelay } from '../../../platform/outbox/outbox';
import { createTransport, type Transport } from '../../../platform/transport';
import { deleteRabbitQueues } from '../../../testkit/cleanup';
import { testDatabase } from '../../../testkit/database';
import { eventually } from '../../../testkit/eventually';
import { startStub, type StubAnswer, type StubServer } from '../../../testkit/providers/http-stub';
import { testServices, uniqueName } from '../../../testkit/services';
import { ProviderError, type ChannelAdapter, type OutgoingMessage, type SendResult } from '../channels/channel';
import { emailAdapter } from '../channels/smtp/email.adapter';
import { smsAdapter } from '../channels/twilio/sms.adapter';
import { TwilioClient } from '../channels/twilio/twilio-client';
import { twilioSignature } from '../channels/twilio/twilio-signature';
import { Contact } from '../contact/contact.entity';
import { PushDevice } from '../device/push-device.entity';
import { deliveryRoutingKey, recordDeliveryJob } from '../notification/delivery-job';
import { Channel, DeliveryStatus, Notification } from '../notification/notification.entity';
import { Sealer } from '../notification/seal';
import { deliveryConsumers, deliveryQueue, type DeliveryDeps, type RenderedMessage } from './delivery.worker';
import { startScheduler, type Scheduler } from './scheduler';
import { TWILIO_WEBHOOK_PATHS, twilioStatusRoutes } from './twilio-status.routes';

/**
 * The channel workers, Twilio's status callback and the scheduler on the real MariaDB and
 * RabbitMQ: jobs go through the outbox relay and the broker as in production; SMS goes through
 * the real Twilio client to a local Twilio stand-in, email through the real nodemailer adapter to
 * a local SMTP server. A "worker that died during the provider call" is its claim left in the
 * row (attempt, key, claimedAt, no outcome), exactly what such a crash leaves.
 */
const TWILIO = { baseUrl: '', accountSid: 'AC0123456789abcdef', authToken: 'twilio-auth-token-test' };
const PUBLIC_URL = 'https://api.manassa.test';
const RETRIES = [30, 30];
const IN_DOUBT_MS = 60_000;
const logger = createLogger('messaging-delivery-test', 'silent');
const sealer = new Sealer(Buffer.alloc(32, 7));

/** Rendering is the template engine's (tested there); here the text shows what the worker handed it. */
const render = async (_em: unknown, n: Notification, secrets: Record<string, string>): Promise<RenderedMessage> => ({
  subject: `Subject of ${n.templateKey}`,
  text: `Text ${JSON.stringify(n.variables ?? {})} ${JSON.stringify(secrets)}`,
});

/** A push adapter whose answer per token the test sets (FCM itself is the channels' tests' business). */
function scriptedPush() {
  const sent: OutgoingMessage[] = [];
  const answers = new Map<string, () => SendResult>();
  const adapter: ChannelAdapter = {
    channel: 'PUSH',
    describe: 'scripted push',
    async send(message) {
      sent.push(message);
      const answer = answers.get(message.to);
      return answer ? answer() : { status: 'SENT', providerMessageId: `projects/test/messages/${sent.length}` };
    },
    async close() {},
  };
  return { adapter, sent, answers };
}

interface SmtpMessage {
  messageId?: string;
  to: string;
  subject?: string;
  text?: string;
}

async function startSmtp(): Promise<{ url: string; messages: SmtpMessage[]; close(): Promise<void> }> {
  const messages: SmtpMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            messageId: mail.messageId,
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            subject: mail.subject,
            text: mail.text,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('notification delivery (MariaDB + RabbitMQ)', () => {
  const db = testDatabase('mysql', 'messaging');
  const exchange = uniqueName('test_events');
  const prefix = `${uniqueName('t')}.`;
  const school = randomUUID();
  let orm: MikroORM;
  let transport: Transport;
  let relay: OutboxRelay;
  let twilio: StubServer;
  let twilioAnswers: Array<StubAnswer>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let callbacks: RunningServer;
  let scheduler: Scheduler;
  let rival: Scheduler;
  const push = scriptedPush();
  const consumers: Consumer[] = [];
  const adapters: Partial<Record<Channel, ChannelAdapter>> = {};
  const metrics = createMetrics('messaging-test');

  beforeAll(async () => {
    orm = await openDatabase({
      service: 'messaging',
      entities: [Notification, Contact, PushDevice, ...outboxEntities],
      migrations: { mysql: [], sqlite: [] },
      ...db.options,
      migrate: false,
    });
    await orm.schema.createSchema();
    transport = createTransport({ name: 'delivery-test', amqpUrl: testServices.amqpUrl, exchange });
    relay = startOutboxRelay({ orm, broker: transport.broker, logger, pollIntervalMs: 20 });

    twilioAnswers = [];
    twilio = await startStub((req) => {
      if (req.method !== 'POST' || req.path !== `/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`) return undefined;
      if (req.headers.authorization !== `Basic ${Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString('base64')}`) {
        return { status: 401, body: { code: 20003, message: 'Authenticate' } };
      }
      return twilioAnswers.shift() ?? { status: 201, body: { sid: `SM${randomUUID().replace(/-/g, '')}`, status: 'queued' } };
    });
    const client = new TwilioClient({ ...TWILIO, baseUrl: twilio.url }, 5_000);
    smtp = await startSmtp();
    adapters.SMS = smsAdapter({ client, from: '+201000000000', publicUrl: PUBLIC_URL });
    adapters.EMAIL = emailAdapter({ url: smtp.url, from: 'El-Manassa <no-reply@manassa.test>', timeoutMs: 5_000 });
    adapters.PUSH = push.adapter;
    // WHATSAPP stays unconfigured: its notifications fail with "channel not configured".

    const deps: DeliveryDeps = {
      delivery: { concurrency: 5, retryDelaysMs: RETRIES, inDoubtMs: IN_DOUBT_MS, statusPollAfterMs: 0, workers: true },
      adapters,
      render,
      unseal: (sealed) => sealer.unseal(sealed),
      logger,
      registry: metrics.registry,
    };
    for (const c of deliveryConsumers(deps)) {
      consumers.push(await transport.broker.consume(prefix + c.queue, c.handler({ orm, logger }), c.options));
    }

    const app = createHttpApp({
      name: 'messaging-test',
      logger,
      metrics,
      ready: async () => true,
      rawBodies: { paths: TWILIO_WEBHOOK_PATHS },
    });
    app.use(twilioStatusRoutes({ orm, logger, config: { publicUrl: PUBLIC_URL, twilio: { ...TWILIO, baseUrl: twilio.url } as never } }));
    callbacks = await listen(app, 0, '127.0.0.1');
    // Two replicas' schedulers over the same database, run only when the test says.
    scheduler = startScheduler({ orm, logger, inDoubtMs: IN_DOUBT_MS, intervalMs: 0, render });
    rival = startScheduler({ orm, logger, inDoubtMs: IN_DOUBT_MS, intervalMs: 0, render });
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.cancel()));
    await scheduler?.stop();
    await rival?.stop();
    await relay?.stop();
    await callbacks?.close(100);
    await transport?.close();
    await deleteRabbitQueues(
      Object.values(Channel).map((c) => prefix + deliveryQueue(c)),
      RETRIES,
      exchange,
    );
    await adapters.EMAIL?.close();
    await twilio?.close();
    await smtp?.close();
    await orm?.close();
    await db.drop();
  });

  const em = () => scopeToTenant(orm.em.fork(), school);
  const row = (id: string) =>
    orm.em.fork().findOneOrFail(Notification, { id }, { filters: { [TENANT_FILTER]: false }, populate: ['sealed'] });

  const contact = async (extra: Partial<Contact> = {}) => {
    const tx = em();
    const c = tx.create(Contact, {
      id: randomUUID(),
      schoolId: school,
      roles: [],
      email: `p${Math.random().toString(36).slice(2, 8)}@family.test`,
      phone: `+2010${Math.floor(10_000_000 + Math.random() * 89_999_999)}`,
      observedAt: new Date(),
      ...extra,
    });
    await tx.flush();
    return c;
  };

  /** A notification as `notify` makes it: QUEUED with its job in the outbox (unless `queue: false` or SCHEDULED). */
  const notification = async (fields: Partial<Notification> & { channel: Channel }, queue = true) => {
    const tx = em();
    const n = tx.create(Notification, {
      schoolId: school,
      category: 'account',
      templateKey: 'account.test',
      locale: 'EN',
      dedupeKey: `test:${randomUUID()}`,
      variables: { course: 'Chemistry' },
      ...fields,
    });
    if (queue && n.status === DeliveryStatus.QUEUED) recordDeliveryJob(tx, n);
    await tx.flush();
    return n;
  };

  /** The job of `n` published again (a redelivery, a republished outbox row): same payload, new message. */
  const publishJob = async (n: Notification) => {
    const tx = em();
    recordDeliveryJob(tx, n);
    await tx.flush();
  };

  /** Jobs the `channel` worker has finished (any outcome): a test waits on it, not on time. */
  const handled = async (channel: Channel): Promise<number> => {
    const metric = metrics.registry.getSingleMetric('messaging_deliveries_total') as Counter<string> | undefined;
    const values = metric ? (await metric.get()).values : [];
    return values.filter((v) => v.labels.channel === channel).reduce((sum, v) => sum + v.value, 0);
  };
  const afterJobs = async (channel: Channel, count: number, act: () => Promise<unknown>) => {
    const before = await handled(channel);
    await act();
    await eventually(async () => expect(await handled(channel)).toBeGreaterThanOrEqual(before + count));
  };

  const twilioCalls = (id: string) => twilio.requests.filter((r) => new URLSearchParams(r.text).get('StatusCallback')?.includes(id));

  /** Posts a status callback to our route, signed as Twilio signs it (or not, or forged). */
  const callback = async (
    params: Record<string, string>,
    opts: { key?: string; signature?: string | null; tamper?: (p: Record<string, string>) => Record<string, string> } = {},
  ) => {
    const path = `/webhooks/twilio/status${opts.key ? `?key=${encodeURIComponent(opts.key)}` : ''}`;
    const signed = twilioSignature(`${PUBLIC_URL}${path}`, params, TWILIO.authToken);
    const sent = opts.tamper ? opts.tamper({ ...params }) : params;
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const signature = opts.signature === undefined ? signed : opts.signature;
    if (signature !== null) headers['x-twilio-signature'] = signature;
    return fetch(`${callbacks.url}${path}`, { method: 'POST', headers, body: new URLSearchParams(sent).toString() });
  };

  describe('the worker', () => {
    it('sends an SMS once through Twilio, with the unsealed secrets, the key in the callback URL, and records the outcome', async () => {
      const c = await contact();
      const n = await notification({ channel: Channel.SMS, recipientId: c.id, sealed: sealer.seal({ code: '482913' }) });
      await eventually(async () => expect((await row(n.id)).status).toBe(DeliveryStatus.SENT));
      const calls = twilioCalls(n.id);
      expect(calls).toHaveLength(1);
      const form = new URLSearchParams(calls[0].text);
      expect(form.get('To')).toBe(c.phone);
      expect(form.get('Body')).toContain('"code":"482913"');
      expect(form.get('StatusCallback')).toBe(`${PUBLIC_URL}/webhooks/twilio/status?key=${encodeURIComponent(`${n.id}:1`)}`);
      const sent = await row(n.id);
      expect(sent).toMatchObject({
        attempts: 1,
        sendingKey: `${n.id}:1`,
        address: c.phone,
        providerMessageId: expect.stringMatching(/^SM/),
      });
      expect(sent.sentAt).toBeInstanceOf(Date);
      expect(sent.sealed ?? null).toBeNull();
      expect(sent.error ?? null).toBeNull();
    });

    it('sends once when the job is delivered twice, one after the other or at the same time', async () => {
      const c = await contact();
      const n = await notification({ channel: Channel.SMS, recipientId: c.id });
      await eventually(async () => expect((await row(n.id)).status).toBe(DeliveryStatus.SENT));
      await afterJobs(Channel.SMS, 1, async () => publishJob(await row(n.id)));
      expect(twilioCalls(n.id)).toHaveLength(1);

      // Three jobs for one notification in flight at once (an outbox row published again).
      const m = await notification({ channel: Channel.SMS, recipientId: c.id }, false);
      await afterJobs(Channel.SMS, 3, () => Promise.all([publishJob(m), publishJob(m), publishJob(m)]));
      expect((await row(m.id)).status).toBe(DeliveryStatus.SENT);
      expect(twilioCalls(m.id)).toHaveLength(1);
      expect((await row(m.id)).attempts).toBe(1);
    });

    it('retries a retryable failure after the broker delay, then FAILED with the error once retries are exhausted', async () => {
      const c = await contact();
      twilioAnswers.push(
        { status: 503, body: { code: 20500, message: 'Internal Server Error' } },
        { status: 429, body: { code: 20429, message: 'Too Many Requests' } },
      );
      const recovered = await notification({ channel: Channel.SMS, recipientId: c.id });
      await eventually(async () => expect((await row(recovered.id)).status).toBe(DeliveryStatus.SENT));
      expect(twilioCalls(recovered.id)).toHaveLength(3);
      expect(await row(recovered.id)).toMatchObject({ attempts: 3, sendingKey: `${recovered.id}:3` });
      // The successful attempt's key is in the URL Twilio got: its callbacks name that attempt.
      expect(new URLSearchParams(twilioCalls(recovered.id)[2].text).get('StatusCallback')).toContain(
        encodeURIComponent(`${recovered.id}:3`),
      );

      twilioAnswers.push(...[1, 2, 3].map(() => ({ status: 500, body: { code: 20500, message: 'Internal Server Error' } })));
      const doomed = await notification({ channel: Channel.SMS, recipientId: c.id, sealed: sealer.seal({ code: '1' }) });
      await eventually(async () => expect((await row(doomed.id)).status).toBe(DeliveryStatus.FAILED));
      expect(twilioCalls(doomed.id)).toHaveLength(1 + RETRIES.length);
      const failed = await row(doomed.id);
      expect(failed.attempts).toBe(3);
      expect(failed.error).toMatch(/^20500: Twilio refused the message \(500/);
      expect(failed.sealed ?? null).toBeNull();
      // The broker dead-lettered the job: it can be inspected and replayed.
      await eventually(async () => {
        const dead = await transport.broker.deadLetters<{ payload: { notificationId: string } }>(prefix + deliveryQueue(Channel.SMS), 50);
        expect(dead.map((d) => d.payload.payload.notificationId)).toContain(doomed.id);
      });
    });

    it('fails a permanent refusal at once, without retrying', async () => {
      const c = await contact();
      twilioAnswers.push({ status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number." } });
      let n!: Notification;
      await afterJobs(Channel.SMS, 1, async () => (n = await notification({ channel: Channel.SMS, recipientId: c.id })));
      expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.FAILED, attempts: 1, error: expect.stringMatching(/^21211: /) });
      expect(twilioCalls(n.id)).toHaveLength(1);
    });

    it('fails a notification with nowhere to go, and one whose channel is not configured', async () => {
      const noPhone = await contact({ phone: undefined });
      const n = await notification({ channel: Channel.SMS, recipientId: noPhone.id });
      const w = await notification({ channel: Channel.WHATSAPP, recipientId: noPhone.id, sealed: sealer.seal({ token: 't' }) });
      await eventually(async () => {
        expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.FAILED, error: 'NO_ADDRESS: no phone number' });
        expect(await row(w.id)).toMatchObject({ status: DeliveryStatus.FAILED, error: 'NOT_CONFIGURED: channel not configured' });
      });
      expect((await row(w.id)).sealed ?? null).toBeNull();
      expect(twilioCalls(n.id)).toHaveLength(0);
    });

    it('emails someone without an account at the stored address, and skips a notification no longer QUEUED', async () => {
      const n = await notification({ channel: Channel.EMAIL, address: 'invitee@family.test' });
      await eventually(async () => expect((await row(n.id)).status).toBe(DeliveryStatus.SENT));
      expect(smtp.messages.filter((m) => m.to === 'invitee@family.test')).toHaveLength(1);

      const canceled = await notification({ channel: Channel.EMAIL, address: 'canceled@family.test', status: DeliveryStatus.CANCELED });
      await afterJobs(Channel.EMAIL, 1, () => publishJob(canceled));
      expect(smtp.messages.filter((m) => m.to === 'canceled@family.test')).toHaveLength(0);
      expect((await row(canceled.id)).status).toBe(DeliveryStatus.CANCELED);
    });

    it('resends an email in doubt with the same key and Message-ID, without a new attempt', async () => {
      const c = await contact();
      const n = await notification({ channel: Channel.EMAIL, recipientId: c.id }, false);
      const normal = await notification({ channel: Channel.EMAIL, recipientId: c.id });
      await eventually(async () => expect((await row(normal.id)).status).toBe(DeliveryStatus.SENT));
      // The previous worker claimed attempt 1 and died during the SMTP conversation.
      const claimedAt = new Date(Date.now() - 1_000);
      await em().nativeUpdate(Notification, { id: n.id }, { attempts: 1, sendingKey: `${n.id}:1`, claimedAt });
      await publishJob(n);
      await eventually(async () => expect((await row(n.id)).status).toBe(DeliveryStatus.SENT));
      const mails = smtp.messages.filter((m) => m.messageId?.startsWith(`<${n.id}.`));
      expect(mails).toHaveLength(1);
      expect(mails[0].messageId).toBe(`<${n.id}.notification@manassa.test>`);
      expect(smtp.messages.find((m) => m.messageId?.startsWith(`<${normal.id}.`))?.messageId).toBe(
        `<${normal.id}.notification@manassa.test>`,
      );
      expect(await row(n.id)).toMatchObject({
        attempts: 1,
        sendingKey: `${n.id}:1`,
        providerMessageId: `<${n.id}.notification@manassa.test>`,
      });
    });

    it('pushes to every device of the person and drops a device FCM reports unregistered', async () => {
      const c = await contact();
      const tokens = ['tok-phone-' + randomUUID(), 'tok-old-' + randomUUID()];
      const tx = em();
      for (const token of tokens) tx.create(PushDevice, { schoolId: school, userId: c.id, token, platform: 'android' });
      await tx.flush();
      push.answers.set(tokens[1], () => {
        throw new ProviderError('Requested entity was not found.', true, 'UNREGISTERED');
      });
      const n = await notification({ channel: Channel.PUSH, recipientId: c.id });
      await eventually(async () => expect((await row(n.id)).status).toBe(DeliveryStatus.SENT));
      const sent = push.sent.filter((m) => m.notificationId === n.id);
      expect(sent.map((m) => m.to).sort()).toEqual([...tokens].sort());
      expect(sent.every((m) => m.idempotencyKey === `${n.id}:1` && m.data?.notificationId === n.id)).toBe(true);
      expect((await em().find(PushDevice, { userId: c.id })).map((d) => d.token)).toEqual([tokens[0]]);

      // Only unregistered devices left: a permanent failure; no device at all: the same.
      const lonely = await contact();
      const again = em();
      again.create(PushDevice, { schoolId: school, userId: lonely.id, token: tokens[1], platform: 'ios' });
      await again.flush();
      const m = await notification({ channel: Channel.PUSH, recipientId: lonely.id });
      await eventually(async () =>
        expect(await row(m.id)).toMatchObject({ status: DeliveryStatus.FAILED, error: expect.stringMatching(/^UNREGISTERED: /) }),
      );
      expect(await em().count(PushDevice, { userId: lonely.id })).toBe(0);
    });

    it('counts sends by channel and outcome', async () => {
      const text = await metrics.registry.getSingleMetricAsString('messaging_deliveries_total');
      expect(text).toMatch(/channel="SMS",outcome="sent"[^}]*\} [1-9]/);
      expect(text).toMatch(/channel="SMS",outcome="failed"[^}]*\} [1-9]/);
      expect(text).toMatch(/channel="SMS",outcome="error"[^}]*\} [1-9]/);
      expect(text).toMatch(/channel="WHATSAPP",outcome="failed"[^}]*\} [1-9]/);
    });
  });

  describe("Twilio's status callback", () => {
    const sentSms = async () => {
      const c = await contact();
      const n = await notification({ channel: Channel.SMS, recipientId: c.id });
      await eventually(async () => expect((await row(n.id)).status).toBe(DeliveryStatus.SENT));
      return row(n.id);
    };

    it('refuses a missing, wrong or forged signature with 403 and changes nothing', async () => {
      const n = await sentSms();
      const params = { MessageSid: n.providerMessageId!, MessageStatus: 'delivered', AccountSid: TWILIO.accountSid };
      const key = n.sendingKey!;
      const answers = [
        await callback(params, { key, signature: null }),
        await callback(params, { key, signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }),
        // Signed for `delivered`, sent as `failed`.
        await callback({ ...params, MessageStatus: 'failed' }, { key, tamper: (p) => ({ ...p, MessageStatus: 'delivered' }) }),
        await callback(params, { key, tamper: (p) => ({ ...p, ErrorCode: '30003' }) }),
        // Signed for another URL: the key of another notification.
        await callback(params, { key, signature: twilioSignature(`${PUBLIC_URL}/webhooks/twilio/status?key=x`, params, TWILIO.authToken) }),
        // Signed with another account's token.
        await callback(params, {
          key,
          signature: twilioSignature(`${PUBLIC_URL}/webhooks/twilio/status?key=${encodeURIComponent(key)}`, params, 'other-token'),
        }),
      ];
      expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403]);
      expect(((await answers[0].json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe(
        'FORBIDDEN',
      );
      expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.SENT, deliveredAt: null });
    });

    it('moves the status forward, never back: a late `sent` after `delivered` and repeats change nothing', async () => {
      const n = await sentSms();
      const base = { MessageSid: n.providerMessageId!, AccountSid: TWILIO.accountSid, To: n.address! };
      expect((await callback({ ...base, MessageStatus: 'delivered' }, { key: n.sendingKey! })).status).toBe(204);
      const delivered = await row(n.id);
      expect(delivered.status).toBe(DeliveryStatus.DELIVERED);
      expect(delivered.deliveredAt).toBeInstanceOf(Date);
      expect((await callback({ ...base, MessageStatus: 'sent' }, { key: n.sendingKey! })).status).toBe(204);
      expect((await callback({ ...base, MessageStatus: 'delivered' }, { key: n.sendingKey! })).status).toBe(204);
      expect((await callback({ ...base, MessageStatus: 'undelivered', ErrorCode: '30003' })).status).toBe(204);
      expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.DELIVERED, deliveredAt: delivered.deliveredAt, error: null });
      // Found by MessageSid alone too (a callback without our key).
      expect((await callback({ ...base, MessageStatus: 'read' })).status).toBe(204);
      expect((await row(n.id)).status).toBe(DeliveryStatus.READ);
    });

    it('records a failure with Twilio’s ErrorCode', async () => {
      const n = await sentSms();
      const answer = await callback(
        { MessageSid: n.providerMessageId!, MessageStatus: 'undelivered', ErrorCode: '30005', AccountSid: TWILIO.accountSid },
        { key: n.sendingKey! },
      );
      expect(answer.status).toBe(204);
      expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.FAILED, error: 'Twilio 30005: message undelivered' });
    });

    it('answers 204 to a verified callback for no notification of ours, and to a status it does not track', async () => {
      const unknown = await callback({ MessageSid: 'SMunknown', MessageStatus: 'delivered' }, { key: `${randomUUID()}:1` });
      expect(unknown.status).toBe(204);
      const n = await sentSms();
      expect((await callback({ MessageSid: n.providerMessageId!, MessageStatus: 'receiving' }, { key: n.sendingKey! })).status).toBe(204);
      expect((await row(n.id)).status).toBe(DeliveryStatus.SENT);
    });

    it('settles an SMS in doubt: the redelivered job does not resend it, the callback gives it its status and SID', async () => {
      const c = await contact();
      const n = await notification({ channel: Channel.SMS, recipientId: c.id, sealed: sealer.seal({ code: '9' }) }, false);
      // The previous worker claimed attempt 1 and died while Twilio was answering.
      await em().nativeUpdate(Notification, { id: n.id }, { attempts: 1, sendingKey: `${n.id}:1`, claimedAt: new Date() });
      await afterJobs(Channel.SMS, 1, () => publishJob(n));
      // The worker left the doubt to the callback.
      expect(twilioCalls(n.id)).toHaveLength(0);
      expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.QUEUED, attempts: 1 });
      // The scheduler leaves a fresh doubt alone.
      expect((await scheduler.sweep()).requeued).toBe(0);

      const answer = await callback({ MessageSid: 'SMfromthecallback', MessageStatus: 'sent', To: c.phone! }, { key: `${n.id}:1` });
      expect(answer.status).toBe(204);
      const settled = await row(n.id);
      expect(settled).toMatchObject({ status: DeliveryStatus.SENT, providerMessageId: 'SMfromthecallback', address: c.phone, attempts: 1 });
      expect(settled.sealed ?? null).toBeNull();
      await afterJobs(Channel.SMS, 1, () => publishJob(n));
      expect(twilioCalls(n.id)).toHaveLength(0);
    });

    it('sends an SMS in doubt again once no callback came within the in-doubt time (scheduler), under a new key', async () => {
      const c = await contact();
      const n = await notification({ channel: Channel.SMS, recipientId: c.id }, false);
      await em().nativeUpdate(
        Notification,
        { id: n.id },
        { attempts: 1, sendingKey: `${n.id}:1`, claimedAt: new Date(Date.now() - IN_DOUBT_MS - 1_000) },
      );
      const [a, b] = await Promise.all([scheduler.sweep(), rival.sweep()]);
      expect(a.requeued + b.requeued).toBe(1);
      await eventually(async () => expect((await row(n.id)).status).toBe(DeliveryStatus.SENT));
      expect(twilioCalls(n.id)).toHaveLength(1);
      expect(new URLSearchParams(twilioCalls(n.id)[0].text).get('StatusCallback')).toContain(encodeURIComponent(`${n.id}:2`));
      expect(await row(n.id)).toMatchObject({ attempts: 2, sendingKey: `${n.id}:2` });
    });
  });

  describe('the scheduler', () => {
    const deliveryJobs = async (id: string) =>
      (await orm.em.fork().find(OutboxMessage, { type: { $like: 'notification.deliver.%' } })).filter(
        (m) => JSON.parse(m.payload).notificationId === id,
      ).length;

    it('queues due notifications once, even when two replicas run at the same time, and leaves later ones', async () => {
      const due = await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          notification({
            channel: Channel.EMAIL,
            address: `due${i}@family.test`,
            status: DeliveryStatus.SCHEDULED,
            scheduledAt: new Date(Date.now() - i * 1000),
          }),
        ),
      );
      const later = await notification({
        channel: Channel.EMAIL,
        address: 'later@family.test',
        status: DeliveryStatus.SCHEDULED,
        scheduledAt: new Date(Date.now() + 3600_000),
      });
      const runs = await Promise.all([scheduler.sweep(), rival.sweep()]);
      expect(runs.reduce((sum, r) => sum + r.queued, 0)).toBe(5);
      for (const n of due) expect(await deliveryJobs(n.id)).toBe(1);
      await eventually(async () => {
        for (const n of due) expect((await row(n.id)).status).toBe(DeliveryStatus.SENT);
      });
      for (let i = 1; i <= 5; i++) expect(smtp.messages.filter((m) => m.to === `due${i}@family.test`)).toHaveLength(1);
      expect((await row(later.id)).status).toBe(DeliveryStatus.SCHEDULED);
      expect(await deliveryJobs(later.id)).toBe(0);
      expect((await scheduler.sweep()).queued).toBe(0);
    });

    it('gathers due digest items per person and channel into one digest, once, and marks the items SENT', async () => {
      const [ahmed, mona] = [await contact(), await contact()];
      const item = (recipientId: string, title: string, ago: number) =>
        notification({
          channel: Channel.EMAIL,
          recipientId,
          category: 'announcement',
          status: DeliveryStatus.SCHEDULED,
          digest: 'DAILY',
          title,
          body: `${title} body`,
          scheduledAt: new Date(Date.now() - ago),
        });
      const items = [
        await item(ahmed.id, 'Quiz graded', 3000),
        await item(ahmed.id, 'New lesson', 2000),
        await item(mona.id, 'Live at 5', 1000),
      ];
      const notYet = await notification({
        channel: Channel.EMAIL,
        recipientId: ahmed.id,
        status: DeliveryStatus.SCHEDULED,
        digest: 'WEEKLY',
        title: 'Weekly',
        scheduledAt: new Date(Date.now() + 86_400_000),
      });
      const runs = await Promise.all([scheduler.sweep(), rival.sweep()]);
      expect(runs[0].digests + runs[1].digests).toBe(2);
      const digests = await em().find(Notification, { templateKey: 'digest', recipientId: { $in: [ahmed.id, mona.id] } });
      expect(digests).toHaveLength(2);
      const ahmeds = digests.find((d) => d.recipientId === ahmed.id)!;
      expect(ahmeds.variables).toEqual({
        items: [
          { title: 'Quiz graded', body: 'Quiz graded body' },
          { title: 'New lesson', body: 'New lesson body' },
        ],
        count: 2,
      });
      for (const i of items) expect((await row(i.id)).status).toBe(DeliveryStatus.SENT);
      expect((await row(notYet.id)).status).toBe(DeliveryStatus.SCHEDULED);
      await eventually(async () => {
        for (const d of digests) expect((await row(d.id)).status).toBe(DeliveryStatus.SENT);
      });
      expect(smtp.messages.filter((m) => m.to === ahmed.email)).toHaveLength(1);
      expect(smtp.messages.find((m) => m.to === ahmed.email)!.text).toContain('Quiz graded');
      expect((await scheduler.sweep()).digests).toBe(0);
    });
  });

  it('keeps every query in its school: a job of another school names no row of this one', async () => {
    const c = await contact();
    const n = await notification({ channel: Channel.SMS, recipientId: c.id }, false);
    // A job naming another school for this notification's id (a misrouted message), and one naming nothing.
    const other = randomUUID();
    const tx = scopeToTenant(orm.em.fork(), other);
    recordEvent(tx, { type: deliveryRoutingKey(Channel.SMS), tenantId: other, payload: { notificationId: n.id } });
    await afterJobs(Channel.SMS, 2, async () => {
      await tx.flush();
      await transport.broker.publish(deliveryRoutingKey(Channel.SMS), { tenantId: school, payload: {} });
    });
    expect(twilioCalls(n.id)).toHaveLength(0);
    expect((await row(n.id)).status).toBe(DeliveryStatus.QUEUED);
  });
});
