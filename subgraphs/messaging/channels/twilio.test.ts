import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../../../testkit/eventually';
import { startTwilioServer, type TwilioServer } from '../../../testkit/providers/twilio-server';
import type { ChannelAdapter } from './channel';
import { smsAdapter } from './twilio/sms.adapter';
import { TwilioClient, TWILIO_STATUS_PATH } from './twilio/twilio-client';
import { verifyTwilioSignature } from './twilio/twilio-signature';
import { whatsappAdapter, whatsappContentSid } from './twilio/whatsapp.adapter';
import { outgoingMessages, providerRefusal } from '../../../testkit/channel-messages';

/** What our webhook would see: each callback, and whether its signature checks out against the public URL. */
interface Received {
  path: string;
  key: string | null;
  params: Record<string, string>;
  valid: boolean;
}

const accountSid = 'AC0123456789abcdef0123456789abcdef';
const authToken = 'twilio-auth-token-for-tests-000000';
const SMS_FROM = '+15005550006';
const WA_FROM = '+14155238886';

let twilio: TwilioServer;
let receiver: http.Server;
let publicUrl: string;
const received: Received[] = [];
let sms: ChannelAdapter;
let whatsapp: ChannelAdapter;

const message = outgoingMessages({
  to: '+201001234567',
  locale: 'AR',
  subject: 'تنبيه',
  text: 'الحصة تبدأ بعد ١٥ دقيقة',
});

const refusal = providerRefusal;

beforeAll(async () => {
  twilio = await startTwilioServer({
    accountSid,
    authToken,
    invalidNumbers: ['+201009999999'],
    unreachableNumbers: ['+201008888888'],
  });
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
      const url = `${publicUrl}${req.url}`;
      const signature = req.headers['x-twilio-signature'] as string | undefined;
      received.push({
        path: new URL(url).pathname,
        key: new URL(url).searchParams.get('key'),
        params,
        valid: verifyTwilioSignature({ url, params, signature, authToken }),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  publicUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const client = new TwilioClient({ baseUrl: twilio.url, accountSid, authToken }, 5_000);
  sms = smsAdapter({ client, from: SMS_FROM, publicUrl });
  whatsapp = whatsappAdapter({ client, from: WA_FROM, publicUrl });
});

afterAll(async () => {
  await twilio.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe('SMS through Twilio', () => {
  it('creates the message and reads QUEUED from the answer; sent then delivered arrive signed, naming the attempt', async () => {
    const m = message();
    const result = await sms.send(m);
    expect(result.status).toBe('QUEUED');
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const [sent] = twilio.messages.filter((x) => x.sid === result.providerMessageId);
    expect(sent).toMatchObject({ channel: 'sms', to: '+201001234567', from: SMS_FROM, body: m.text });
    expect(sent.statusCallback).toBe(`${publicUrl}${TWILIO_STATUS_PATH}?key=${encodeURIComponent(m.idempotencyKey)}`);

    await eventually(() => expect(received.filter((r) => r.params.MessageSid === result.providerMessageId)).toHaveLength(2));
    const callbacks = received.filter((r) => r.params.MessageSid === result.providerMessageId);
    expect(callbacks.map((c) => c.params.MessageStatus)).toEqual(['sent', 'delivered']);
    for (const c of callbacks) {
      expect(c).toMatchObject({ path: TWILIO_STATUS_PATH, key: m.idempotencyKey, valid: true });
      expect(c.params).toMatchObject({ AccountSid: accountSid, To: '+201001234567', From: SMS_FROM });
    }
  });

  it('reports an invalid number as a permanent failure with Twilio’s code, without a message created', async () => {
    const before = twilio.messages.length;
    const invalid = await refusal(sms.send(message({ to: '+201009999999' })));
    expect(invalid).toMatchObject({ permanent: true, code: '21211' });
    expect(invalid.message).toContain('not a valid phone number');
    const malformed = await refusal(sms.send(message({ to: '01001234567' })));
    expect(malformed).toMatchObject({ permanent: true, code: '21211' });
    const empty = await refusal(sms.send(message({ text: '' })));
    expect(empty).toMatchObject({ permanent: true, code: '21619' });
    expect(twilio.messages).toHaveLength(before);
  });

  it('accepts a number it cannot reach, then reports it undelivered with ErrorCode 30003 by callback', async () => {
    const m = message({ to: '+201008888888' });
    const { providerMessageId } = await sms.send(m);
    await eventually(() =>
      expect(received.find((r) => r.params.MessageSid === providerMessageId && r.params.MessageStatus === 'undelivered')).toMatchObject({
        key: m.idempotencyKey,
        valid: true,
        params: { ErrorCode: '30003' },
      }),
    );
  });

  it('treats 5xx and 429 as retryable, and wrong credentials as permanent', async () => {
    twilio.failNext(1, 500);
    expect(await refusal(sms.send(message()))).toMatchObject({ permanent: false, code: '20500' });
    twilio.failNext(1, 429);
    expect(await refusal(sms.send(message()))).toMatchObject({ permanent: false, code: '20429' });
    // The failures are spent: the next one goes through.
    expect((await sms.send(message())).status).toBe('QUEUED');

    const wrong = smsAdapter({
      client: new TwilioClient({ baseUrl: twilio.url, accountSid, authToken: 'not-the-token' }, 5_000),
      from: SMS_FROM,
      publicUrl,
    });
    expect(await refusal(wrong.send(message()))).toMatchObject({ permanent: true, code: '20003' });
  });

  it('treats an unreachable or silent provider as retryable', async () => {
    twilio.outage = 'refuse';
    try {
      expect(await refusal(sms.send(message()))).toMatchObject({ permanent: false, code: 'NETWORK' });
    } finally {
      twilio.outage = false;
    }
    twilio.outage = 503;
    try {
      // A 503 page that is not Twilio JSON: the HTTP status is the code.
      expect(await refusal(sms.send(message()))).toMatchObject({ permanent: false, code: '503' });
    } finally {
      twilio.outage = false;
    }

    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const hanging = smsAdapter({ client: new TwilioClient({ baseUrl: url, accountSid, authToken }, 200), from: SMS_FROM, publicUrl });
      const timedOut = await refusal(hanging.send(message()));
      expect(timedOut).toMatchObject({ permanent: false, code: 'NETWORK' });
      expect(timedOut.message).toContain('no answer within 200 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('sends many at once, each once, each with its own callback key', async () => {
    const batch = Array.from({ length: 25 }, (_, i) => message({ to: `+2010012${String(i).padStart(5, '0')}` }));
    const results = await Promise.all(batch.map((m) => sms.send(m)));
    expect(new Set(results.map((r) => r.providerMessageId)).size).toBe(25);
    for (const m of batch) expect(twilio.sentTo(m.to)).toHaveLength(1);
    await eventually(() => {
      const keys = new Set(received.filter((r) => r.params.MessageStatus === 'delivered').map((r) => r.key));
      for (const m of batch) expect(keys.has(m.idempotencyKey)).toBe(true);
    });
  });
});

describe('WhatsApp through Twilio', () => {
  it('sends free text between whatsapp: addresses; sent, delivered and read come back', async () => {
    const m = message();
    const { providerMessageId, status } = await whatsapp.send(m);
    expect(status).toBe('QUEUED');
    const sent = twilio.messages.find((x) => x.sid === providerMessageId)!;
    expect(sent).toMatchObject({ channel: 'whatsapp', to: 'whatsapp:+201001234567', from: `whatsapp:${WA_FROM}`, body: m.text });
    expect(sent.contentSid).toBeUndefined();
    await eventually(() =>
      expect(received.filter((r) => r.params.MessageSid === providerMessageId).map((r) => r.params.MessageStatus)).toEqual([
        'sent',
        'delivered',
        'read',
      ]),
    );
    expect(received.filter((r) => r.params.MessageSid === providerMessageId).every((r) => r.valid && r.key === m.idempotencyKey)).toBe(
      true,
    );
  });

  it('sends an approved template as ContentSid and ContentVariables (JSON), without a Body', async () => {
    const contentSid = `HX${'a1'.repeat(16)}`;
    const m = message({ to: 'whatsapp:+201001112223', whatsappTemplate: { contentSid, variables: { 1: 'أحمد', 2: '3pm' } } });
    const { providerMessageId } = await whatsapp.send(m);
    const sent = twilio.messages.find((x) => x.sid === providerMessageId)!;
    expect(sent).toMatchObject({ to: 'whatsapp:+201001112223', contentSid, contentVariables: { 1: 'أحمد', 2: '3pm' } });
    expect(sent.params.Body).toBeUndefined();
    expect(JSON.parse(sent.params.ContentVariables)).toEqual({ 1: 'أحمد', 2: '3pm' });
  });

  it('finds the template of a key in the message’s language, or none (free text)', () => {
    const templates = { 'announcement.general': { ar: `HX${'0'.repeat(32)}`, en: `HX${'1'.repeat(32)}` } };
    expect(whatsappContentSid(templates, 'announcement.general', 'AR')).toBe(`HX${'0'.repeat(32)}`);
    expect(whatsappContentSid(templates, 'announcement.general', 'EN')).toBe(`HX${'1'.repeat(32)}`);
    expect(whatsappContentSid(templates, 'live.reminder', 'AR')).toBeUndefined();
    expect(whatsappContentSid({}, 'announcement.general', 'AR')).toBeUndefined();
  });

  it('refuses a template SID Twilio does not know the shape of, permanently', async () => {
    const err = await refusal(whatsapp.send(message({ whatsappTemplate: { contentSid: 'not-a-sid', variables: {} } })));
    expect(err).toMatchObject({ permanent: true, code: '21655' });
  });

  it('sends nothing more when a callback is lost; the message is still accepted once', async () => {
    twilio.dropCallbacks = true;
    try {
      const m = message({ to: '+201005550001' });
      const { providerMessageId } = await whatsapp.send(m);
      await twilio.idle();
      expect(twilio.sentTo('whatsapp:+201005550001')).toHaveLength(1);
      expect(twilio.callbacks.filter((c) => c.sid === providerMessageId)).toHaveLength(0);
    } finally {
      twilio.dropCallbacks = false;
    }
  });
});
