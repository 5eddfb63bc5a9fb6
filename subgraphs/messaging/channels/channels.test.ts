import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../platform/logger';
import { startFcmServer, type FcmServer } from '../../../testkit/providers/fcm-server';
import { startSmtpServer, type FakeSmtpServer } from '../../../testkit/providers/smtp-server';
import { startTwilioServer, type TwilioServer } from '../../../testkit/providers/twilio-server';
import { messagingConfigFromEnv } from '../env';
import type { OutgoingMessage } from './channel';
import { closeChannels, createChannels, type ChannelsConfig } from './channels';

let dir: string;
let twilio: TwilioServer;
let smtp: FakeSmtpServer;
let fcm: FcmServer;
const lines: Array<{ level: number; msg: string; channel?: string; channels?: Record<string, string> }> = [];
const logger = createLogger('messaging', 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });

/** The configuration the service would read from this environment, in the embedded mode or production. */
const configOf = (env: Record<string, string>, production = false): ChannelsConfig => ({
  ...messagingConfigFromEnv({ DATA_DIR: dir, MESSAGING_PUBLIC_URL: 'https://api.manassa.eg', ...env }),
  production,
});

const message = (to: string): OutgoingMessage => {
  const notificationId = crypto.randomUUID();
  return { notificationId, idempotencyKey: `${notificationId}:1`, to, locale: 'EN', subject: 'Hello', text: 'Hello there' };
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'channels-'));
  twilio = await startTwilioServer({ accountSid: 'AC1', authToken: 'token-1' });
  smtp = await startSmtpServer();
  fcm = await startFcmServer();
});

afterAll(async () => {
  await Promise.all([twilio.close(), smtp.close(), fcm.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('createChannels', () => {
  it('outside production, writes every unconfigured channel to the local outbox under DATA_DIR/outbox', async () => {
    const channels = createChannels(configOf({}), logger);
    expect([...channels.keys()].sort()).toEqual(['EMAIL', 'PUSH', 'SMS', 'WHATSAPP']);
    for (const [name, adapter] of channels) {
      expect(adapter.channel).toBe(name);
      expect(adapter.describe).toBe(`local outbox ${path.resolve(dir, 'outbox', name.toLowerCase())}`);
    }
    const { providerMessageId } = await channels.get('SMS')!.send(message('+201001234567'));
    expect(providerMessageId).toContain(path.join(dir, 'outbox', 'sms'));
    expect(lines.at(-1)).toMatchObject({ msg: 'messaging channels', channels: { SMS: expect.stringContaining('local outbox') } });
    await closeChannels(channels);
  });

  it('in production, leaves an unconfigured channel out and says so', async () => {
    const before = lines.length;
    const channels = createChannels(configOf({}, true), logger);
    expect(channels.size).toBe(0);
    const warned = lines.slice(before).filter((l) => l.level === 40);
    expect(warned.map((l) => l.channel).sort()).toEqual(['EMAIL', 'PUSH', 'SMS', 'WHATSAPP']);
  });

  it('uses each provider that is configured, and only for the senders it has', async () => {
    const smsOnly = configOf({
      TWILIO_BASE_URL: twilio.url,
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'token-1',
      TWILIO_SMS_FROM: '+15005550006',
    });
    const dev = createChannels(smsOnly, logger);
    expect(dev.get('SMS')!.describe).toContain('Twilio SMS from +15005550006');
    // No WhatsApp sender: the WhatsApp channel is not Twilio's.
    expect(dev.get('WHATSAPP')!.describe).toContain('local outbox');
    const prod = createChannels({ ...smsOnly, production: true }, logger);
    expect([...prod.keys()]).toEqual(['SMS']);

    const sent = await prod.get('SMS')!.send(message('+201001234567'));
    expect(sent.status).toBe('QUEUED');
    expect(twilio.sentTo('+201001234567')[0].statusCallback).toMatch(/^https:\/\/api\.manassa\.eg\/webhooks\/twilio\/status\?key=/);
    await closeChannels(dev);
    await closeChannels(prod);
  });

  it('builds every real adapter from the environment and closes them all', async () => {
    const config = configOf(
      {
        TWILIO_BASE_URL: twilio.url,
        TWILIO_ACCOUNT_SID: 'AC1',
        TWILIO_AUTH_TOKEN: 'token-1',
        TWILIO_SMS_FROM: '+15005550006',
        TWILIO_WHATSAPP_FROM: '+14155238886',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'El-Manassa <no-reply@manassa.eg>',
        FCM_BASE_URL: fcm.url,
        FCM_SERVICE_ACCOUNT: fcm.serviceAccount.json,
      },
      true,
    );
    const channels = createChannels(config, logger);
    expect(Object.fromEntries([...channels].map(([name, a]) => [name, a.describe]))).toEqual({
      EMAIL: `smtp://127.0.0.1:${smtp.port} (pool of 5)`,
      SMS: expect.stringContaining('Twilio SMS'),
      WHATSAPP: expect.stringContaining('Twilio WhatsApp from whatsapp:+14155238886'),
      PUSH: `FCM ${fcm.url} (project manassa-test)`,
    });
    await channels.get('EMAIL')!.send(message('parent@example.com'));
    await channels.get('PUSH')!.send(message('device-token-1'));
    await channels.get('WHATSAPP')!.send(message('+201001234568'));
    expect(smtp.sentTo('parent@example.com')).toHaveLength(1);
    expect(fcm.sentTo('device-token-1')).toHaveLength(1);
    expect(twilio.sentTo('whatsapp:+201001234568')).toHaveLength(1);
    await closeChannels(channels);
  });

  it('refuses to start on a broken FCM service account', () => {
    const config = configOf({ FCM_BASE_URL: fcm.url, FCM_SERVICE_ACCOUNT: '{"project_id":"x"}' }, true);
    expect(() => createChannels(config, logger)).toThrow(/FCM service account lacks/);
  });
});
