import addressparser from 'nodemailer/lib/addressparser';
import type { SendMailOptions } from 'nodemailer';
import type { OutgoingMessage } from '../channel';

/** The domain of the sender address in a From header ("El-Manassa <no-reply@manassa.eg>" → manassa.eg). */
export function senderDomain(from: string): string {
  const [first] = addressparser(from, { flatten: true });
  const address = first && 'address' in first ? first.address : '';
  const domain = address?.split('@')[1];
  if (!domain) throw new Error(`MAIL_FROM has no address with a domain: ${from}`);
  return domain.toLowerCase();
}

/**
 * The Message-ID of a notification's email. Derived from the notification (the idempotency key
 * without its attempt number), not from the attempt, so a send repeated after a crash carries the
 * same Message-ID and mail clients show one message, not two.
 */
export function emailMessageId(message: Pick<OutgoingMessage, 'notificationId'>, domain: string): string {
  return `<${message.notificationId.replace(/[^A-Za-z0-9._-]/g, '')}.notification@${domain}>`;
}

/** The email of a notification, for the SMTP transport and for the local outbox alike. */
export function emailOptions(message: OutgoingMessage, from: string, domain: string): SendMailOptions {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: emailMessageId(message, domain),
    headers: { 'Content-Language': message.locale.toLowerCase() },
  };
}
