import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { BrokerMessage } from '../../../platform/broker/message-broker';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { createLogger } from '../../../platform/logger';
import { outboxEntities, type DomainEvent } from '../../../platform/outbox/outbox';
import { testDatabase } from '../../../testkit/database';
import { startSmtpServer, type FakeSmtpServer } from '../../../testkit/providers/smtp-server';
import { startTwilioServer, type TwilioServer } from '../../../testkit/providers/twilio-server';
import type { ChannelAdapter } from '../channels/channel';
import { emailAdapter } from '../channels/smtp/email.adapter';
import { smsAdapter } from '../channels/twilio/sms.adapter';
import { TwilioClient } from '../channels/twilio/twilio-client';
import { whatsappAdapter } from '../channels/twilio/whatsapp.adapter';
import { Contact } from '../contact/contact.entity';
import { PushDevice } from '../device/push-device.entity';
import type { DeliveryJob } from '../notification/delivery-job';
import { Channel, DeliveryStatus, Notification } from '../notification/notification.entity';
import { deliveryConsumers, type RenderedMessage } from './delivery.worker';
import { pollStatuses } from './status-poll';

/**
 * A send in doubt whose status callback never came (the worker died during Twilio's call and the
 * callbacks were lost while nothing listened): after the in-doubt time the next attempt first asks
 * Twilio's Messages list whether the earlier one went out, and sends only if it did not. Against
 * the loopback Twilio (testkit/providers/twilio-server.ts), whose list filters by To and From.
 */
const IN_DOUBT_MS = 60_000;
const logger = createLogger('messaging-in-doubt-test', 'silent');
const render = async (_em: unknown, n: Notification): Promise<RenderedMessage> => ({
  subject: 'Reminder',
  text: `Reminder ${n.id}`,
});

describe('lost Twilio answers and callbacks settled by asking Twilio (MariaDB)', () => {
  const db = testDatabase('mysql', 'messaging');
  const school = randomUUID();
  let orm: MikroORM;
  let twilio: TwilioServer;
  let smtp: FakeSmtpServer;
  let email: ChannelAdapter;
  let work: (channel: Channel, id: string) => Promise<void>;

  beforeAll(async () => {
    orm = await openDatabase({
      service: 'messaging',
      entities: [Notification, Contact, PushDevice, ...outboxEntities],
      migrations: { mysql: [], sqlite: [] },
      ...db.options,
      migrate: false,
    });
    await orm.schema.createSchema();
    twilio = await startTwilioServer({ accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'in-doubt-token' });
    twilio.dropCallbacks = true;
    smtp = await startSmtpServer();
    email = emailAdapter({ url: smtp.url, from: 'El-Manassa <no-reply@manassa.test>', timeoutMs: 5_000 });
    const client = new TwilioClient({ baseUrl: twilio.url, accountSid: twilio.options.accountSid, authToken: 'in-doubt-token' }, 5_000);
    const workers = deliveryConsumers({
      delivery: { concurrency: 1, retryDelaysMs: [10], inDoubtMs: IN_DOUBT_MS, statusPollAfterMs: 0, workers: true },
      adapters: {
        [Channel.SMS]: smsAdapter({ client, from: '+15005550006', publicUrl: 'https://api.manassa.test' }),
        [Channel.WHATSAPP]: whatsappAdapter({ client, from: '+15005550007', publicUrl: 'https://api.manassa.test' }),
        [Channel.EMAIL]: email,
      },
      render,
      unseal: () => ({}),
      logger,
    });
    // One handler per channel, as the host binds it (its in-process state is shared by its deliveries).
    const handlers = new Map(workers.map((w) => [w.queue, w.handler({ orm, logger })]));
    work = (channel, id) => {
      const handler = [...handlers].find(([queue]) => queue.endsWith(channel.toLowerCase()))![1];
      const event: DomainEvent<DeliveryJob> = {
        id: randomUUID(),
        type: 'notification.deliver',
        version: 1,
        tenantId: school,
        occurredAt: new Date().toISOString(),
        payload: { notificationId: id },
      };
      const message: BrokerMessage<DomainEvent<DeliveryJob>> = {
        id: event.id,
        routingKey: event.type,
        payload: event,
        headers: {},
        attempt: 1,
      };
      return handler(message);
    };
  });
  afterAll(async () => {
    await twilio?.close();
    await email?.close();
    await smtp?.close();
    await orm?.close();
    await db.drop();
  });

  const client = () => new TwilioClient({ baseUrl: twilio.url, accountSid: twilio.options.accountSid, authToken: 'in-doubt-token' }, 5_000);
  const row = (id: string) => orm.em.fork().findOneOrFail(Notification, { id }, { filters: { [TENANT_FILTER]: false } });

  /** A notification whose first attempt was claimed `agoMs` ago by a worker that then died. */
  const claimedLongAgo = async (channel: Channel, agoMs = 2 * IN_DOUBT_MS) => {
    const em = scopeToTenant(orm.em.fork(), school);
    const phone = `+2012${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
    const contact = em.create(Contact, {
      id: randomUUID(),
      schoolId: school,
      roles: [],
      phone,
      email: `${phone.slice(1)}@family.test`,
      observedAt: new Date(),
    });
    const n = em.create(Notification, {
      schoolId: school,
      recipientId: contact.id,
      category: 'live.reminder',
      templateKey: 'live.reminder',
      locale: 'EN',
      channel,
      dedupeKey: `test:${randomUUID()}`,
      attempts: 1,
      claimedAt: new Date(Date.now() - agoMs),
      unsettledSince: new Date(Date.now() - agoMs),
    });
    n.sendingKey = `${n.id}:1`;
    await em.flush();
    return { n, phone };
  };

  /** What the dead worker had sent for `n`'s first attempt: Twilio took it, its callbacks reached nobody. */
  const sentBeforeTheCrash = (n: Notification, phone: string) =>
    smsAdapter({ client: client(), from: '+15005550006', publicUrl: 'https://api.manassa.test' }).send({
      notificationId: n.id,
      idempotencyKey: n.sendingKey!,
      to: phone,
      locale: 'EN',
      subject: 'Reminder',
      text: `Reminder ${n.id}`,
    });

  it('does not send an SMS again that Twilio took before the worker died; the earlier message is recorded', async () => {
    const { n, phone } = await claimedLongAgo(Channel.SMS);
    await sentBeforeTheCrash(n, phone);
    const earlier = twilio.sentTo(phone)[0];

    await work(Channel.SMS, n.id);

    expect(twilio.sentTo(phone)).toHaveLength(1);
    expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.SENT, providerMessageId: earlier.sid, attempts: 2 });
  });

  it('sends it when Twilio has no such message (the earlier call never reached it), once', async () => {
    const { n, phone } = await claimedLongAgo(Channel.SMS);
    // Another message to the same number meanwhile, with other text: not the one in doubt.
    await new TwilioClient(
      { baseUrl: twilio.url, accountSid: twilio.options.accountSid, authToken: 'in-doubt-token' },
      5_000,
    ).createMessage({
      To: phone,
      From: '+15005550006',
      Body: 'Something else',
    });
    await work(Channel.SMS, n.id);
    await work(Channel.SMS, n.id);
    const sent = twilio.sentTo(phone);
    expect(sent.map((m) => m.body)).toEqual(['Something else', `Reminder ${n.id}`]);
    expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.SENT, providerMessageId: sent[1].sid, attempts: 2 });
  });

  it('finds a WhatsApp message in doubt by its whatsapp: addresses', async () => {
    const { n, phone } = await claimedLongAgo(Channel.WHATSAPP);
    await whatsappAdapter({
      client: new TwilioClient({ baseUrl: twilio.url, accountSid: twilio.options.accountSid, authToken: 'in-doubt-token' }, 5_000),
      from: '+15005550007',
      publicUrl: 'https://api.manassa.test',
    }).send({
      notificationId: n.id,
      idempotencyKey: n.sendingKey!,
      to: phone,
      locale: 'EN',
      subject: 'Reminder',
      text: `Reminder ${n.id}`,
    });
    await work(Channel.WHATSAPP, n.id);
    expect(twilio.sentTo(`whatsapp:${phone}`)).toHaveLength(1);
    expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.SENT, providerMessageId: twilio.sentTo(`whatsapp:${phone}`)[0].sid });
  });

  it('sends nothing while Twilio cannot say (its list fails), and asks again on the retry', async () => {
    const { n, phone } = await claimedLongAgo(Channel.SMS);
    await sentBeforeTheCrash(n, phone);
    twilio.outage = 503;
    try {
      await expect(work(Channel.SMS, n.id)).rejects.toThrow(/earlier attempt/);
    } finally {
      twilio.outage = false;
    }
    expect((await row(n.id)).status).toBe(DeliveryStatus.QUEUED);
    // The retry (a new claim) still checks first, and finds the earlier message.
    await work(Channel.SMS, n.id);
    expect(twilio.sentTo(phone)).toHaveLength(1);
    expect(await row(n.id)).toMatchObject({
      status: DeliveryStatus.SENT,
      providerMessageId: twilio.sentTo(phone)[0].sid,
      unsettledSince: null,
    });
  });

  it('still asks Twilio after the scheduler released the claim (no claim left, the attempt unsettled)', async () => {
    const { n, phone } = await claimedLongAgo(Channel.SMS);
    await sentBeforeTheCrash(n, phone);
    // What the scheduler's requeue of a send in doubt leaves: the claim released.
    await orm.em.fork().nativeUpdate(Notification, { id: n.id }, { claimedAt: null }, { filters: { [TENANT_FILTER]: false } });
    await work(Channel.SMS, n.id);
    expect(twilio.sentTo(phone)).toHaveLength(1);
    expect((await row(n.id)).status).toBe(DeliveryStatus.SENT);
  });

  it('does not resend a message that a first attempt under way in this process is sending (a redelivery after a dropped connection)', async () => {
    const { n, phone } = await claimedLongAgo(Channel.EMAIL, 0);
    // A fresh email, never claimed: the first job takes it, its copy arrives meanwhile (an email in
    // doubt is resent under its key, so without the in-process guard the copy would send it again).
    await orm.em
      .fork()
      .nativeUpdate(
        Notification,
        { id: n.id },
        { claimedAt: null, unsettledSince: null, sendingKey: null, attempts: 0 },
        { filters: { [TENANT_FILTER]: false } },
      );
    const first = work(Channel.EMAIL, n.id);
    const copy = work(Channel.EMAIL, n.id);
    await Promise.all([first, copy]);
    expect(smtp.sentTo(`${phone.slice(1)}@family.test`)).toHaveLength(1);
    expect((await row(n.id)).status).toBe(DeliveryStatus.SENT);
    expect((await row(n.id)).attempts).toBe(1);
  });

  describe('reports whose callback was lost (the status poll)', () => {
    const adapter = () => smsAdapter({ client: client(), from: '+15005550006', publicUrl: 'https://api.manassa.test' });
    /** An SMS Twilio took `agoMs` ago, SENT here; Twilio has since moved it to `twilioStatus`. */
    const sentSms = async (agoMs: number, twilioStatus: string) => {
      const { n, phone } = await claimedLongAgo(Channel.SMS);
      const result = await adapter().send({
        notificationId: n.id,
        idempotencyKey: n.sendingKey!,
        to: phone,
        locale: 'EN',
        subject: 's',
        text: 't',
      });
      twilio.messages.find((m) => m.sid === result.providerMessageId)!.status = twilioStatus;
      const em = scopeToTenant(orm.em.fork(), school);
      const row = await em.findOneOrFail(Notification, { id: n.id });
      Object.assign(row, {
        status: DeliveryStatus.SENT,
        providerMessageId: result.providerMessageId,
        sentAt: new Date(Date.now() - agoMs),
      });
      await em.flush();
      return row;
    };
    const poll = () => pollStatuses({ orm, logger, adapters: { [Channel.SMS]: adapter() }, afterMs: 60_000 });

    it('moves a message forward to what Twilio says now, failures with their code; once per interval', async () => {
      const delivered = await sentSms(120_000, 'delivered');
      const undelivered = await sentSms(120_000, 'undelivered');
      const recent = await sentSms(1_000, 'delivered');
      expect(await poll()).toBeGreaterThanOrEqual(2);
      expect(await row(delivered.id)).toMatchObject({ status: DeliveryStatus.DELIVERED, deliveredAt: expect.any(Date) });
      expect(await row(undelivered.id)).toMatchObject({ status: DeliveryStatus.FAILED, error: expect.stringContaining('30003') });
      // Too recent to miss a callback: not asked, still SENT.
      expect(await row(recent.id)).toMatchObject({ status: DeliveryStatus.SENT, statusCheckedAt: null });

      // Still "sent" at Twilio: asked once, then left until the interval has passed.
      const waiting = await sentSms(120_000, 'sent');
      await poll();
      const asked = twilio.requests.length;
      await poll();
      expect(twilio.requests.length).toBe(asked);
      expect(await row(waiting.id)).toMatchObject({ status: DeliveryStatus.SENT, statusCheckedAt: expect.any(Date) });
    });
  });

  it('leaves a claim still in doubt to its status callback (no list asked, nothing sent)', async () => {
    const { n, phone } = await claimedLongAgo(Channel.SMS, 1_000);
    const asked = twilio.requests.length;
    await work(Channel.SMS, n.id);
    expect(twilio.requests.length).toBe(asked);
    expect(twilio.sentTo(phone)).toHaveLength(0);
    expect(await row(n.id)).toMatchObject({ status: DeliveryStatus.QUEUED, attempts: 1 });
  });
});
