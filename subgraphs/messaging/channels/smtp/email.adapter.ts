import nodemailer from 'nodemailer';
import { ProviderError, type ChannelAdapter, type OutgoingMessage, type SendResult } from '../channel';
import { emailOptions, senderDomain } from './email-message';

export interface EmailAdapterOptions {
  /** smtp://user:pass@host:port or smtps://… (SMTP_URL). */
  url: string;
  /** From header of every email (MAIL_FROM); its domain names the Message-IDs. */
  from: string;
  /** Pooled connections to the server (SMTP_MAX_CONNECTIONS); default 5. */
  maxConnections?: number;
  /** Bound on connecting, the greeting and each wait on the server (PROVIDER_TIMEOUT_MS). */
  timeoutMs: number;
}

/** A nodemailer (SMTP) error: the server's reply code when it answered, nodemailer's code otherwise. */
interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * Email over SMTP through ONE pooled nodemailer transport for the whole process (nodemailer's
 * advice: a transport per message would open a connection per message). Sends beyond
 * `maxConnections` queue inside the pool.
 */
export function emailAdapter(options: EmailAdapterOptions): ChannelAdapter {
  const domain = senderDomain(options.from);
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    // Also closes an idle pooled connection, which the pool reopens when there is mail again.
    socketTimeout: options.timeoutMs,
  });
  const target = new URL(options.url);
  return {
    channel: 'EMAIL',
    describe: `${target.protocol}//${target.host} (pool of ${options.maxConnections ?? 5})`,
    async send(message: OutgoingMessage): Promise<SendResult> {
      try {
        const info = await transport.sendMail(emailOptions(message, options.from, domain));
        return { providerMessageId: info.messageId, status: 'SENT' };
      } catch (err) {
        throw smtpProviderError(err as SmtpError);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * A 5xx reply is permanent (RFC 5321: the same message would be refused again: unknown mailbox,
 * policy); a 4xx reply (greylisting, mailbox full, server busy), a broken connection or a timeout
 * is worth retrying. An envelope nodemailer itself refuses (a malformed address) is permanent too.
 */
export function smtpProviderError(err: SmtpError): ProviderError {
  const reply = err.responseCode;
  const detail = (err.response ?? err.message).slice(0, 300);
  if (reply) return new ProviderError(`the mail server refused the email: ${detail}`, reply >= 500, String(reply));
  if (err.code === 'EENVELOPE' || err.code === 'EMESSAGE') return new ProviderError(`the email cannot be sent: ${detail}`, true, err.code);
  return new ProviderError(`the mail server could not be reached: ${detail}`, false, err.code ?? 'ECONNECTION');
}
