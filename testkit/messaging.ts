import { DEFAULT_RETRY_DELAYS_MS } from '../platform/broker/delivery-policy';
import { deliveryQueue } from '../subgraphs/messaging/delivery/delivery.worker';
import { messagingConfigFromEnv } from '../subgraphs/messaging/env';
import { messaging } from '../subgraphs/messaging/features';
import { Channel } from '../subgraphs/messaging/notification/notification.entity';
import { reactionConsumers } from '../subgraphs/messaging/reaction/reaction.feature';
import { deleteRabbitQueues } from './cleanup';
import { startFcmServer, type FcmServer } from './providers/fcm-server';
import { startSmtpServer, type FakeSmtpServer } from './providers/smtp-server';
import { startTwilioServer, type TwilioServer } from './providers/twilio-server';

/** Loopback stand-ins of the messaging providers (Twilio, an SMTP server, FCM), and the messaging settings that point at them. */
export interface MessagingProviders {
  twilio: TwilioServer;
  smtp: FakeSmtpServer;
  fcm: FcmServer;
  /** Messaging environment: the providers' URLs, keys and senders. */
  env: Record<string, string>;
  /** Messages every provider accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

export async function startMessagingProviders(options: { twilioCallbackDelayMs?: number } = {}): Promise<MessagingProviders> {
  const twilio = await startTwilioServer({
    accountSid: 'AC00000000000000000000000000000e2e',
    authToken: 'auth-token-of-the-test-account',
    callbackDelayMs: options.twilioCallbackDelayMs,
  });
  const smtp = await startSmtpServer();
  const fcm = await startFcmServer();
  return {
    twilio,
    smtp,
    fcm,
    env: {
      TWILIO_BASE_URL: twilio.url,
      TWILIO_ACCOUNT_SID: twilio.options.accountSid,
      TWILIO_AUTH_TOKEN: twilio.options.authToken,
      TWILIO_SMS_FROM: '+15005550006',
      TWILIO_WHATSAPP_FROM: '+15005550007',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'El-Manassa <no-reply@manassa.test>',
      FCM_BASE_URL: fcm.url,
      FCM_SERVICE_ACCOUNT: fcm.serviceAccount.json,
    },
    accepted: () => twilio.messages.length + smtp.messages.length + fcm.messages.length,
    async close() {
      await Promise.all([twilio.close(), smtp.close(), fcm.close()]);
    },
  };
}

/**
 * Deletes the durable queues a messaging process with AMQP_QUEUE_PREFIX `queuePrefix` declared:
 * its features' consumers, the reactions (wired at start) and the channel workers (their retry
 * delays are the process's DELIVERY_RETRY_DELAYS_MS).
 */
export async function deleteMessagingQueues(queuePrefix: string, deliveryRetryDelaysMs = DEFAULT_RETRY_DELAYS_MS): Promise<void> {
  const wired = reactionConsumers({ notify: () => Promise.resolve(0), config: messagingConfigFromEnv({}) });
  for (const c of [...messaging.consumers, ...wired]) {
    await deleteRabbitQueues([`${queuePrefix}${c.queue}`], c.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS);
  }
  await deleteRabbitQueues(
    Object.values(Channel).map((c) => `${queuePrefix}${deliveryQueue(c)}`),
    deliveryRetryDelaysMs,
  );
}
