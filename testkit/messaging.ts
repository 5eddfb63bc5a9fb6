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
