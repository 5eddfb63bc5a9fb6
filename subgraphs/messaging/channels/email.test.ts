import { eventually } from '../../../testkit/eventually';
import { startSmtpServer, type FakeSmtpServer } from '../../../testkit/providers/smtp-server';
import type { ChannelAdapter } from './channel';
import { emailMessageId, senderDomain } from './smtp/email-message';
import { emailAdapter } from './smtp/email.adapter';
import { outgoingMessages, providerRefusal } from '../../../testkit/channel-messages';

const FROM = 'المنصة El-Manassa <no-reply@Manassa.EG>';
let smtp: FakeSmtpServer;
let email: ChannelAdapter;

const message = outgoingMessages({
  to: 'parent@example.com',
  locale: 'AR',
  subject: 'تم تسجيل ابنك في مقرر الرياضيات',
  text: 'مرحباً، تم تسجيل أحمد في مقرر الرياضيات.',
  html: '<p>مرحباً، تم تسجيل <b>أحمد</b> في مقرر الرياضيات.</p>',
});

const refusal = providerRefusal;

beforeAll(async () => {
  smtp = await startSmtpServer({
    auth: { user: 'mailer', pass: 's3cret' },
    rejectRecipients: ['nobody@example.com'],
    deferRecipients: ['greylisted@example.com'],
  });
  // A long timeout: an idle connection of this pool must not close while the pooling test counts connections.
  email = emailAdapter({ url: smtp.url, from: FROM, maxConnections: 3, timeoutMs: 60_000 });
});

afterAll(async () => {
  await email.close();
  await smtp.close();
});

describe('email over SMTP', () => {
  it('delivers subject, text and HTML from MAIL_FROM, with a Message-ID of the notification on the sender’s domain', async () => {
    const m = message();
    const result = await email.send(m);
    expect(result).toEqual({ status: 'SENT', providerMessageId: `<${m.notificationId}.notification@manassa.eg>` });
    const [got] = smtp.withMessageId(result.providerMessageId!);
    expect(got).toMatchObject({ envelopeFrom: 'no-reply@manassa.eg', envelopeTo: ['parent@example.com'], subject: m.subject });
    expect(got.text?.trim()).toBe(m.text);
    expect(got.html).toContain('<b>أحمد</b>');
    expect(got.from?.toLowerCase()).toContain('no-reply@manassa.eg');
    expect(got.from).toContain('المنصة');
    expect(got.headers.get('content-language')).toBe('ar');
  });

  it('gives a resent notification (a new attempt) the same Message-ID, so mail clients see one message', async () => {
    const first = message();
    const again = { ...first, idempotencyKey: `${first.notificationId}:2` };
    const a = await email.send(first);
    const b = await email.send(again);
    expect(b.providerMessageId).toBe(a.providerMessageId);
    expect(smtp.withMessageId(a.providerMessageId!)).toHaveLength(2);
    expect(new Set(smtp.sentTo(first.to).map((x) => x.messageId)).has(emailMessageId(first, 'manassa.eg'))).toBe(true);
  });

  it('sends many at once through one pool of at most maxConnections connections', async () => {
    // A fresh pool, and the server holding every message, so all sends are in flight together.
    const pooled = emailAdapter({ url: smtp.url, from: FROM, maxConnections: 3, timeoutMs: 5_000 });
    const before = { ...smtp.connections };
    const gate = smtp.hold();
    const batch = Array.from({ length: 30 }, (_, i) => message({ to: `student${i}@example.com` }));
    const sends = Promise.all(batch.map((m) => pooled.send(m)));
    try {
      await eventually(() => expect(smtp.connections.open - before.open).toBe(3));
    } finally {
      gate.release();
    }
    const results = await sends;
    expect(results.every((r) => r.status === 'SENT')).toBe(true);
    for (const m of batch) expect(smtp.sentTo(m.to)).toHaveLength(1);
    expect(smtp.connections.total - before.total).toBe(3);
    expect(new Set(batch.map((m) => smtp.sentTo(m.to)[0].sessionId)).size).toBe(3);

    // close() ends the pool's connections.
    const openBefore = smtp.connections.open;
    await pooled.close();
    await eventually(() => expect(smtp.connections.open).toBe(openBefore - 3));
  });

  it('takes a 5xx refusal as permanent and a 4xx as retryable', async () => {
    const unknown = await refusal(email.send(message({ to: 'nobody@example.com' })));
    expect(unknown).toMatchObject({ permanent: true, code: '550' });
    const greylisted = await refusal(email.send(message({ to: 'greylisted@example.com' })));
    expect(greylisted).toMatchObject({ permanent: false, code: '451' });
    smtp.failNextData(1);
    const m = message({ to: 'retry@example.com' });
    expect(await refusal(email.send(m))).toMatchObject({ permanent: false, code: '451' });
    // The retry of the same notification goes through, once.
    await email.send({ ...m, idempotencyKey: `${m.notificationId}:2` });
    expect(smtp.sentTo('retry@example.com')).toHaveLength(1);
  });

  it('refuses a malformed address permanently without troubling the server', async () => {
    const before = smtp.messages.length;
    expect(await refusal(email.send(message({ to: '' })))).toMatchObject({ permanent: true });
    expect(smtp.messages).toHaveLength(before);
  });

  it('takes wrong credentials as permanent and an unreachable server as retryable', async () => {
    const url = new URL(smtp.url);
    url.password = 'wrong';
    const wrong = emailAdapter({ url: url.toString(), from: FROM, timeoutMs: 5_000 });
    try {
      expect(await refusal(wrong.send(message()))).toMatchObject({ permanent: true, code: '535' });
    } finally {
      await wrong.close();
    }
    const closed = await startSmtpServer();
    const port = closed.port;
    await closed.close();
    const down = emailAdapter({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 2_000 });
    try {
      expect(await refusal(down.send(message()))).toMatchObject({ permanent: false });
    } finally {
      await down.close();
    }
  });

  it('needs a MAIL_FROM with a domain', () => {
    expect(senderDomain('El-Manassa <no-reply@manassa.local>')).toBe('manassa.local');
    expect(() => senderDomain('El-Manassa')).toThrow(/MAIL_FROM/);
    expect(() => emailAdapter({ url: smtp.url, from: 'no address', timeoutMs: 1000 })).toThrow(/MAIL_FROM/);
  });
});
