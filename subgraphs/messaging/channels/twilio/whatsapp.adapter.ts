import type { ChannelAdapter, OutgoingMessage, SendResult } from '../channel';
import { statusCallbackUrl, type TwilioClient } from './twilio-client';

export interface WhatsappAdapterOptions {
  client: TwilioClient;
  /** Sender number, E.164 (TWILIO_WHATSAPP_FROM), with or without `whatsapp:`. */
  from: string;
  /** Public base URL Twilio posts status callbacks to (MESSAGING_PUBLIC_URL). */
  publicUrl: string;
}

/** A WhatsApp address as Twilio wants it in From and To: `whatsapp:+E164`. */
export const whatsappAddress = (number: string): string => `whatsapp:${number.replace(/^whatsapp:/, '')}`;

/**
 * The approved template (Content SID) of a template key in a language, from TWILIO_WHATSAPP_TEMPLATES
 * ({"announcement.general":{"ar":"HX…","en":"HX…"}}); undefined = send free text.
 */
export function whatsappContentSid(
  templates: Record<string, Record<string, string>> | undefined,
  templateKey: string,
  locale: 'AR' | 'EN',
): string | undefined {
  return templates?.[templateKey]?.[locale.toLowerCase()];
}

/**
 * WhatsApp through Twilio's Messages resource. With an approved template (ContentSid and its
 * variables) the message may open a conversation; free text is delivered by WhatsApp only inside
 * the 24-hour window after the person last wrote (channels.md §1.1), otherwise Twilio reports
 * it failed through the status callback.
 */
export function whatsappAdapter({ client, from, publicUrl }: WhatsappAdapterOptions): ChannelAdapter {
  const sender = whatsappAddress(from);
  return {
    channel: 'WHATSAPP',
    describe: `Twilio WhatsApp from ${sender} via ${client.describe}`,
    send(message: OutgoingMessage): Promise<SendResult> {
      const template = message.whatsappTemplate;
      return client.createMessage({
        To: whatsappAddress(message.to),
        From: sender,
        ...(template ? { ContentSid: template.contentSid, ContentVariables: JSON.stringify(template.variables) } : { Body: message.text }),
        StatusCallback: statusCallbackUrl(publicUrl, message.idempotencyKey),
      });
    },
    findSent: (message, since) =>
      client.findMessage({
        to: whatsappAddress(message.to),
        from: sender,
        since,
        body: message.whatsappTemplate ? undefined : message.text,
      }),
    fetchStatus: (sid) => client.fetchStatus(sid),
    close: async () => {},
  };
}
