/**
 * What a delivery worker hands to a channel adapter, and what it gets back. One adapter per
 * provider (twilio/, smtp/, fcm/, local/); the worker (notification/delivery.worker.ts) does the
 * claiming, status tracking and retries, the adapter only speaks its provider's protocol.
 */
export type ChannelName = 'WHATSAPP' | 'SMS' | 'EMAIL' | 'PUSH' | 'IN_APP';

export interface OutgoingMessage {
  notificationId: string;
  /**
   * `<notificationId>:<attempt>`: recorded before the call, and carried to the provider where its
   * protocol has a place for it (Twilio: the status callback URL; email: the Message-ID; push: the
   * collapse key), so that a send repeated after a crash is recognised (see delivery.worker.ts).
   */
  idempotencyKey: string;
  /** Email address, E.164 phone number, or FCM registration token. */
  to: string;
  locale: 'AR' | 'EN';
  /** Email subject / push title. */
  subject: string;
  /** Plain text (SMS, WhatsApp free text, push body, email text part). */
  text: string;
  /** Email HTML part (escaped by the template engine). */
  html?: string;
  /** WhatsApp: an approved template and its variables, when one is configured for the template key. */
  whatsappTemplate?: { contentSid: string; variables: Record<string, string> };
  /** Push: string data for the app (notification id, category, …). */
  data?: Record<string, string>;
}

export interface SendResult {
  /** The provider's id of the message (Twilio `SM…`, FCM `projects/…/messages/…`, SMTP Message-ID). */
  providerMessageId?: string;
  /** What the provider said at once: Twilio answers `queued`/`accepted` (SENT follows by callback), SMTP and FCM accept (SENT). */
  status: 'QUEUED' | 'SENT' | 'DELIVERED';
}

/**
 * A provider refused or failed. `permanent` failures (invalid number, unregistered token, 4xx)
 * are not retried; the others (network, 5xx, 429) are, with backoff.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The provider's error code (Twilio `21211`, FCM `UNREGISTERED`, SMTP `550`), for `Notification.error`. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface ChannelAdapter {
  readonly channel: ChannelName;
  /** For the start banner and logs: where this channel's messages go ("smtp://mail:587", "local outbox /data/outbox"). */
  readonly describe: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Whether the provider took `message` at or after `since` although we never learnt it (a worker
   * died during the call and no status callback came): the worker asks before sending again, so a
   * lost answer does not become a second message. Only providers that can list what they sent
   * (Twilio) have it; the others rely on their idempotency key (Message-ID, collapse id).
   */
  findSent?(message: OutgoingMessage, since: Date): Promise<SendResult | undefined>;
  /**
   * The provider's current status of a message it took (its own words: Twilio's `MessageStatus`),
   * for a report whose callback was lost (we were down when it came). Only providers that report
   * delivery have it; undefined when the provider does not know the message.
   */
  fetchStatus?(providerMessageId: string): Promise<{ providerStatus: string; errorCode?: string } | undefined>;
  close(): Promise<void>;
}
