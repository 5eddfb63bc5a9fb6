import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { ProviderError } from './channel';
import { localOutboxAdapter } from './local/local-outbox.adapter';
import { emailMessageId } from './smtp/email-message';
import { outgoingMessages } from '../../../testkit/channel-messages';

const MAIL_FROM = 'El-Manassa <no-reply@manassa.local>';
let dir: string;

const message = outgoingMessages({
  to: '+201001234567',
  locale: 'AR',
  subject: 'تنبيه',
  text: 'الحصة تبدأ بعد ١٥ دقيقة',
});

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the local outbox', () => {
  it('writes an SMS, WhatsApp or push message as <dir>/<channel>/<notificationId>.json', async () => {
    for (const channel of ['SMS', 'WHATSAPP', 'PUSH'] as const) {
      const adapter = localOutboxAdapter({ channel, dir, mailFrom: MAIL_FROM });
      expect(adapter.describe).toBe(`local outbox ${path.join(dir, channel.toLowerCase())}`);
      const m = message({ data: channel === 'PUSH' ? { category: 'live.reminder' } : undefined });
      const result = await adapter.send(m);
      const file = path.join(dir, channel.toLowerCase(), `${m.notificationId}.json`);
      expect(result).toEqual({ providerMessageId: file, status: 'DELIVERED' });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
        channel,
        notificationId: m.notificationId,
        idempotencyKey: m.idempotencyKey,
        to: m.to,
        text: m.text,
        ...(channel === 'PUSH' ? { data: { category: 'live.reminder' } } : {}),
      });
    }
  });

  it('writes an email as an .eml a mail client opens, with the Message-ID the SMTP adapter would use', async () => {
    const email = localOutboxAdapter({ channel: 'EMAIL', dir, mailFrom: MAIL_FROM });
    const m = message({ to: 'parent@example.com', html: '<p>الحصة <b>قريباً</b></p>' });
    const { providerMessageId } = await email.send(m);
    expect(providerMessageId).toBe(path.join(dir, 'email', `${m.notificationId}.eml`));
    const parsed = await simpleParser(readFileSync(providerMessageId!));
    expect(parsed.messageId).toBe(emailMessageId(m, 'manassa.local'));
    expect(parsed.subject).toBe(m.subject);
    expect(parsed.text?.trim()).toBe(m.text);
    expect(parsed.html).toContain('<b>قريباً</b>');
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('parent@example.com');
  });

  it('replaces the file when the notification is sent again, leaving no temporary file', async () => {
    const sms = localOutboxAdapter({ channel: 'SMS', dir, mailFrom: MAIL_FROM });
    const m = message();
    await sms.send(m);
    await sms.send({ ...m, idempotencyKey: `${m.notificationId}:2`, text: 'النص الثاني' });
    const folder = path.join(dir, 'sms');
    expect(readdirSync(folder).filter((f) => f.startsWith(m.notificationId))).toEqual([`${m.notificationId}.json`]);
    expect(JSON.parse(readFileSync(path.join(folder, `${m.notificationId}.json`), 'utf8'))).toMatchObject({
      idempotencyKey: `${m.notificationId}:2`,
      text: 'النص الثاني',
    });
  });

  it('keeps one whole file when the same notification is written many times at once', async () => {
    const push = localOutboxAdapter({ channel: 'PUSH', dir, mailFrom: MAIL_FROM });
    const m = message();
    await Promise.all(Array.from({ length: 20 }, (_, i) => push.send({ ...m, idempotencyKey: `${m.notificationId}:${i + 1}` })));
    const folder = path.join(dir, 'push');
    expect(readdirSync(folder).filter((f) => f.startsWith(m.notificationId))).toEqual([`${m.notificationId}.json`]);
    const written = JSON.parse(readFileSync(path.join(folder, `${m.notificationId}.json`), 'utf8')) as { idempotencyKey: string };
    expect(written.idempotencyKey).toMatch(new RegExp(`^${m.notificationId}:\\d+$`));
  });

  it('refuses an id that would leave its folder, permanently, writing nothing', async () => {
    const sms = localOutboxAdapter({ channel: 'SMS', dir, mailFrom: MAIL_FROM });
    for (const notificationId of ['../escape', 'a/b', '', '..']) {
      const err = await sms.send(message({ notificationId })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ permanent: true, code: 'INVALID_ID' });
    }
    expect(readdirSync(dir).sort()).toEqual(['email', 'push', 'sms', 'whatsapp']);
  });

  it('reports a folder it cannot write as retryable', async () => {
    const blocked = path.join(dir, 'not-a-folder');
    writeFileSync(blocked, 'a file where the outbox should be');
    const sms = localOutboxAdapter({ channel: 'SMS', dir: blocked, mailFrom: MAIL_FROM });
    const err = await sms.send(message()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ permanent: false, code: 'EIO' });
  });
});
