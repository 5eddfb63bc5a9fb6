import type { ChannelAdapter, OutgoingMessage, SendResult } from '../channel';
import { statusCallbackUrl, type TwilioClient } from './twilio-client';

export interface SmsAdapterOptions {
  client: TwilioClient;
  /** Sender number, E.164 (TWILIO_SMS_FROM). */
  from: string;
  /** Public base URL Twilio posts status callbacks to (MESSAGING_PUBLIC_URL). */
  publicUrl: string;
}

/** SMS through Twilio's Messages resource: plain text to an E.164 number. */
export function smsAdapter({ client, from, publicUrl }: SmsAdapterOptions): ChannelAdapter {
  return {
    channel: 'SMS',
    describe: `Twilio SMS from ${from} via ${client.describe}`,
    send(message: OutgoingMessage): Promise<SendResult> {
      return client.createMessage({
        To: message.to,
        From: from,
        Body: message.text,
        StatusCallback: statusCallbackUrl(publicUrl, message.idempotencyKey),
      });
    },
    findSent: (message, since) => client.findMessage({ to: message.to, from, since, body: message.text }),
    fetchStatus: (sid) => client.fetchStatus(sid),
    close: async () => {},
  };
}
