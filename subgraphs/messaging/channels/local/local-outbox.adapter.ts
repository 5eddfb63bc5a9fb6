import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { ProviderError, type ChannelAdapter, type ChannelName, type OutgoingMessage, type SendResult } from '../channel';
import { emailOptions, senderDomain } from '../smtp/email-message';

export interface LocalOutboxOptions {
  channel: Exclude<ChannelName, 'IN_APP'>;
  /** The outbox folder (LOCAL_OUTBOX_DIR, default DATA_DIR/outbox); each channel writes to a subfolder. */
  dir: string;
  /** From header of emails (MAIL_FROM). */
  mailFrom: string;
}

/** Notification ids are UUIDs; anything else must not become a path (no `..`, no separators). */
const SAFE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The embedded mode's stand-in for a provider that is not configured: each message becomes a file,
 * `<dir>/<channel>/<notificationId>.eml` (an email any mail client opens) or `.json`, so
 * `npm start` delivers something visible with nothing installed. The file is named by the
 * notification, not the attempt, and written to a temporary name then renamed, so a repeated
 * send replaces it whole and a reader never sees half a message.
 */
export function localOutboxAdapter(options: LocalOutboxOptions): ChannelAdapter {
  const folder = path.resolve(options.dir, options.channel.toLowerCase());
  const domain = options.channel === 'EMAIL' ? senderDomain(options.mailFrom) : '';

  const content = async (message: OutgoingMessage): Promise<{ extension: string; data: Buffer | string }> => {
    if (options.channel === 'EMAIL') {
      const data = await new MailComposer(emailOptions(message, options.mailFrom, domain)).compile().build();
      return { extension: '.eml', data };
    }
    const { notificationId, idempotencyKey, to, locale, subject, text, whatsappTemplate, data } = message;
    const record = { channel: options.channel, notificationId, idempotencyKey, to, locale, subject, text, whatsappTemplate, data };
    return { extension: '.json', data: `${JSON.stringify({ ...record, writtenAt: new Date().toISOString() }, null, 2)}\n` };
  };

  return {
    channel: options.channel,
    describe: `local outbox ${folder}`,
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!SAFE_NAME.test(message.notificationId)) {
        throw new ProviderError(`not a notification id that can name a file: ${message.notificationId}`, true, 'INVALID_ID');
      }
      const { extension, data } = await content(message);
      const file = path.join(folder, `${message.notificationId}${extension}`);
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await mkdir(folder, { recursive: true });
        await writeFile(temporary, data);
        await rename(temporary, file);
      } catch (err) {
        await rm(temporary, { force: true }).catch(() => undefined);
        throw new ProviderError(`the local outbox cannot be written: ${(err as Error).message}`, false, 'EIO');
      }
      // The file is where the message ends up: as delivered as it will be.
      return { providerMessageId: file, status: 'DELIVERED' };
    },
    close: async () => {},
  };
}
