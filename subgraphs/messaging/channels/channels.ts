import type { Logger } from '../../../platform/logger';
import type { MessagingConfig } from '../env';
import type { ChannelAdapter, ChannelName } from './channel';
import { pushAdapter } from './fcm/push.adapter';
import { loadServiceAccount } from './fcm/service-account';
import { localOutboxAdapter } from './local/local-outbox.adapter';
import { emailAdapter } from './smtp/email.adapter';
import { smsAdapter } from './twilio/sms.adapter';
import { TwilioClient } from './twilio/twilio-client';
import { whatsappAdapter } from './twilio/whatsapp.adapter';

/** The channels that go through an outside provider (IN_APP goes over the event bus, built elsewhere). */
export type ProviderChannel = Exclude<ChannelName, 'IN_APP'>;
export const PROVIDER_CHANNELS: readonly ProviderChannel[] = ['EMAIL', 'SMS', 'WHATSAPP', 'PUSH'];

export type ChannelsConfig = Pick<
  MessagingConfig,
  'production' | 'twilio' | 'smtp' | 'fcm' | 'mailFrom' | 'providerTimeoutMs' | 'localOutboxDir' | 'publicUrl'
>;

/**
 * The adapter of each provider channel: the real provider when it is configured; otherwise,
 * outside production, the local outbox (files under LOCAL_OUTBOX_DIR), so the embedded mode
 * delivers something without any account; in production an unconfigured channel is absent and the
 * worker fails its notifications with "channel not configured" rather than pretending to send.
 * A broken configuration (an unreadable FCM key, a MAIL_FROM without a domain) throws here, at start.
 */
export function createChannels(config: ChannelsConfig, logger: Logger): Map<ChannelName, ChannelAdapter> {
  const timeoutMs = config.providerTimeoutMs;
  const twilio = config.twilio ? new TwilioClient(config.twilio, timeoutMs) : undefined;
  const { smtp, fcm } = config;
  const smsFrom = config.twilio?.smsFrom;
  const whatsappFrom = config.twilio?.whatsappFrom;
  const real: Record<ProviderChannel, () => ChannelAdapter | undefined> = {
    EMAIL: () => (smtp ? emailAdapter({ url: smtp.url, from: smtp.from, maxConnections: smtp.maxConnections, timeoutMs }) : undefined),
    SMS: () => (twilio && smsFrom ? smsAdapter({ client: twilio, from: smsFrom, publicUrl: config.publicUrl }) : undefined),
    WHATSAPP: () =>
      twilio && whatsappFrom ? whatsappAdapter({ client: twilio, from: whatsappFrom, publicUrl: config.publicUrl }) : undefined,
    PUSH: () => (fcm ? pushAdapter({ baseUrl: fcm.baseUrl, serviceAccount: loadServiceAccount(fcm), timeoutMs }) : undefined),
  };

  // Keyed by every ChannelName so the IN_APP adapter (built on the event bus) can join the same map.
  const channels = new Map<ChannelName, ChannelAdapter>();
  for (const channel of PROVIDER_CHANNELS) {
    const adapter =
      real[channel]() ||
      (config.production ? undefined : localOutboxAdapter({ channel, dir: config.localOutboxDir, mailFrom: config.mailFrom }));
    if (adapter) channels.set(channel, adapter);
    else logger.warn({ channel }, `messaging: ${channel} is not configured; its notifications will fail`);
  }
  logger.info({ channels: Object.fromEntries([...channels].map(([name, a]) => [name, a.describe])) }, 'messaging channels');
  return channels;
}

/** Closes every adapter (the SMTP pool's connections), whatever the others do. */
export async function closeChannels(channels: Map<ChannelName, ChannelAdapter>): Promise<void> {
  await Promise.allSettled([...channels.values()].map((adapter) => adapter.close()));
}

/**
 * Where each channel's messages go, in words, without opening anything (the start banner):
 * the configured provider, else the local outbox folder, else (production) nowhere.
 */
export function describeDeliveries(config: ChannelsConfig): Record<ChannelName, string> {
  const local = (channel: ProviderChannel) =>
    config.production ? 'not configured' : `files in ${config.localOutboxDir}/${channel.toLowerCase()}`;
  const host = (url: string) => {
    try {
      return new URL(url).host;
    } catch {
      return 'SMTP';
    }
  };
  return {
    EMAIL: config.smtp ? `SMTP ${host(config.smtp.url)}` : local('EMAIL'),
    SMS: config.twilio?.smsFrom ? `Twilio from ${config.twilio.smsFrom}` : local('SMS'),
    WHATSAPP: config.twilio?.whatsappFrom ? `Twilio WhatsApp from ${config.twilio.whatsappFrom}` : local('WHATSAPP'),
    PUSH: config.fcm ? `FCM ${config.fcm.baseUrl}` : local('PUSH'),
    IN_APP: 'notifications / notificationReceived',
  };
}
