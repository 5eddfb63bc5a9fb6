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

/** A channel's configured provider: where its messages go, in words, and its adapter, made on demand. */
interface Provider {
  where: string;
  create(): ChannelAdapter;
}

/**
 * The configured provider of each provider channel, or undefined: the one place that decides
 * which settings turn a channel on (createChannels builds them, describeDeliveries names them).
 */
function providers(config: ChannelsConfig): Record<ProviderChannel, Provider | undefined> {
  const timeoutMs = config.providerTimeoutMs;
  const { smtp, fcm, twilio } = config;
  const host = (url: string) => {
    try {
      return new URL(url).host;
    } catch {
      return 'SMTP';
    }
  };
  // One client for both Twilio channels, made with the first of them.
  let client: TwilioClient | undefined;
  const twilioClient = () => (client ??= new TwilioClient(twilio!, timeoutMs));
  const smsFrom = twilio?.smsFrom;
  const whatsappFrom = twilio?.whatsappFrom;
  return {
    EMAIL: smtp && {
      where: `SMTP ${host(smtp.url)}`,
      create: () => emailAdapter({ url: smtp.url, from: smtp.from, maxConnections: smtp.maxConnections, timeoutMs }),
    },
    SMS: smsFrom
      ? {
          where: `Twilio from ${smsFrom}`,
          create: () => smsAdapter({ client: twilioClient(), from: smsFrom, publicUrl: config.publicUrl }),
        }
      : undefined,
    WHATSAPP: whatsappFrom
      ? {
          where: `Twilio WhatsApp from ${whatsappFrom}`,
          create: () => whatsappAdapter({ client: twilioClient(), from: whatsappFrom, publicUrl: config.publicUrl }),
        }
      : undefined,
    PUSH: fcm && {
      where: `FCM ${fcm.baseUrl}`,
      create: () => pushAdapter({ baseUrl: fcm.baseUrl, serviceAccount: loadServiceAccount(fcm), timeoutMs }),
    },
  };
}

/**
 * The adapter of each provider channel: the real provider when it is configured; otherwise,
 * outside production, the local outbox (files under LOCAL_OUTBOX_DIR), so the embedded mode
 * delivers something without any account; in production an unconfigured channel is absent and the
 * worker fails its notifications with "channel not configured" rather than pretending to send.
 * A broken configuration (an unreadable FCM key, a MAIL_FROM without a domain) throws here, at start.
 */
export function createChannels(config: ChannelsConfig, logger: Logger): Map<ChannelName, ChannelAdapter> {
  const configured = providers(config);
  // Keyed by every ChannelName so the IN_APP adapter (built on the event bus) can join the same map.
  const channels = new Map<ChannelName, ChannelAdapter>();
  for (const channel of PROVIDER_CHANNELS) {
    const adapter =
      configured[channel]?.create() ??
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
  const configured = providers(config);
  const where = (channel: ProviderChannel) =>
    configured[channel]?.where ?? (config.production ? 'not configured' : `files in ${config.localOutboxDir}/${channel.toLowerCase()}`);
  return {
    EMAIL: where('EMAIL'),
    SMS: where('SMS'),
    WHATSAPP: where('WHATSAPP'),
    PUSH: where('PUSH'),
    IN_APP: 'notifications / notificationReceived',
  };
}
