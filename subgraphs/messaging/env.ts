import path from 'node:path';
import { z } from 'zod';
import { baseEnv, optionalString, optionalUrl, parseEnv, port, subgraphConfig, subgraphEnv } from '../../platform/env';

/** Port when run as its own process (MESSAGING_PORT). */
export const MESSAGING_DEFAULT_PORT = 4004;

const schema = z.object({
  ...baseEnv,
  ...subgraphEnv,
  /** Default 4004. */
  MESSAGING_PORT: port(MESSAGING_DEFAULT_PORT),
  /**
   * Public base URL providers reach this platform at (the gateway, which forwards
   * /webhooks/twilio/status here); Twilio is told `<it>/webhooks/twilio/status?…` with each
   * message, and its signatures are checked against that URL. Default http://localhost:4000.
   */
  MESSAGING_PUBLIC_URL: z.string().url().default('http://localhost:4000'),
  /** Largest webhook body accepted; default 64kb. */
  WEBHOOK_BODY_LIMIT: z.string().default('64kb'),
  /** Timeout of one call to a provider; default 10000 ms. */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * Key (any string, 32+ characters) that seals the secret parts of a pending message (an
   * invitation or reset token) in the database until it is delivered; unset outside production =
   * a key generated under DATA_DIR.
   */
  MESSAGING_SEAL_KEY: z.string().min(32).optional(),

  // --- Twilio (unset = SMS and WhatsApp deliveries fail with "channel not configured") ---
  /** e.g. https://api.twilio.com (no default: nothing real is called unless configured). */
  TWILIO_BASE_URL: optionalUrl('http', 'https'),
  TWILIO_ACCOUNT_SID: optionalString,
  /** Auth token: Basic auth of the REST API and key of the X-Twilio-Signature HMAC. */
  TWILIO_AUTH_TOKEN: optionalString,
  /** Sender of SMS, E.164. */
  TWILIO_SMS_FROM: optionalString,
  /** Sender of WhatsApp messages, E.164 (sent as whatsapp:+…). */
  TWILIO_WHATSAPP_FROM: optionalString,
  /**
   * WhatsApp template Content SIDs per template key and language, JSON:
   * {"announcement.general":{"ar":"HX…","en":"HX…"}}. A key without one is sent as free text
   * (only inside WhatsApp's 24-hour window).
   */
  TWILIO_WHATSAPP_TEMPLATES: z.string().default('{}'),

  // --- Email over SMTP (unset = in embedded mode, emails are written to DATA_DIR/outbox) ---
  /** smtp://user:pass@host:port or smtps://… */
  SMTP_URL: optionalUrl('smtp', 'smtps'),
  /** From header of every email. */
  MAIL_FROM: z.string().default('El-Manassa <no-reply@manassa.local>'),
  /** Pooled connections to the SMTP server; default 5. */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(5),

  // --- Push over FCM HTTP v1 (unset = push deliveries fail with "channel not configured") ---
  /** e.g. https://fcm.googleapis.com */
  FCM_BASE_URL: optionalUrl('http', 'https'),
  /** The service account JSON (project_id, client_email, private_key, token_uri). */
  FCM_SERVICE_ACCOUNT: optionalString,
  /** Or a file holding it. */
  FCM_SERVICE_ACCOUNT_FILE: optionalString,

  // --- Delivery ---
  /** Deliveries one channel worker runs at once (RabbitMQ prefetch); default 20. */
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  /** Delays before each retry of a failed send, comma-separated ms; then FAILED. Default 1000,10000,60000. */
  DELIVERY_RETRY_DELAYS_MS: z.string().default('1000,10000,60000'),
  /**
   * How long a send whose outcome is unknown (the worker stopped during the provider call) waits
   * for the provider's status callback before it is sent again; default 120000 ms.
   */
  DELIVERY_IN_DOUBT_MS: z.coerce.number().int().min(0).default(120_000),
  /**
   * A Twilio message still SENT this long after it went out (a status callback lost while this
   * service was down) is asked about at Twilio, and again each time as long after, for a day; 0 = never.
   * Default 600000 ms.
   */
  DELIVERY_STATUS_POLL_AFTER_MS: z.coerce.number().int().min(0).default(600_000),
  /** Pause between runs of the scheduler (scheduled messages, digests, sends in doubt); 0 = off. Default 15000 ms. */
  MESSAGING_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(15_000),
  /** Minutes before a live session its reminder goes out; default 15. */
  LIVE_REMINDER_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Embedded mode: folder the local outbox (emails, SMS, WhatsApp and push as files) is written to; default DATA_DIR/outbox. */
  LOCAL_OUTBOX_DIR: z.string().optional(),
  /** Run the channel workers in this process; default on. Off = the API only (workers run elsewhere). */
  DELIVERY_WORKERS: z.enum(['on', 'off']).default('on'),
  /** Which people backfill to ask for at start: `auto` when the read model is empty, or `always`. */
  PEOPLE_BACKFILL: z.enum(['auto', 'always']).default('auto'),
});

export function messagingConfigFromEnv(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(
    // A key generated under DATA_DIR would differ per pod and vanish with it: sealed secrets of
    // pending messages could not be opened by another replica or after a restart.
    schema.refine((v) => v.NODE_ENV !== 'production' || v.MESSAGING_SEAL_KEY, {
      message: 'MESSAGING_SEAL_KEY is required in production',
      path: ['MESSAGING_SEAL_KEY'],
    }),
    env,
  );
  const trim = (url: string) => url.replace(/\/+$/, '');
  const retryDelaysMs = e.DELIVERY_RETRY_DELAYS_MS.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (!retryDelaysMs.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error('DELIVERY_RETRY_DELAYS_MS must be comma-separated whole milliseconds');
  }
  let whatsappTemplates: Record<string, Record<string, string>>;
  try {
    whatsappTemplates = JSON.parse(e.TWILIO_WHATSAPP_TEMPLATES) as Record<string, Record<string, string>>;
  } catch {
    throw new Error('TWILIO_WHATSAPP_TEMPLATES must be JSON: {"<template key>":{"ar":"HX…","en":"HX…"}}');
  }
  return {
    ...subgraphConfig(e, e.MESSAGING_PORT),
    publicUrl: trim(e.MESSAGING_PUBLIC_URL),
    webhookBodyLimit: e.WEBHOOK_BODY_LIMIT,
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    sealKey: e.MESSAGING_SEAL_KEY,
    twilio:
      e.TWILIO_BASE_URL && e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
        ? {
            baseUrl: trim(e.TWILIO_BASE_URL),
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            smsFrom: e.TWILIO_SMS_FROM,
            whatsappFrom: e.TWILIO_WHATSAPP_FROM,
            whatsappTemplates,
          }
        : undefined,
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.MAIL_FROM, maxConnections: e.SMTP_MAX_CONNECTIONS } : undefined,
    mailFrom: e.MAIL_FROM,
    fcm:
      e.FCM_BASE_URL && (e.FCM_SERVICE_ACCOUNT || e.FCM_SERVICE_ACCOUNT_FILE)
        ? { baseUrl: trim(e.FCM_BASE_URL), serviceAccount: e.FCM_SERVICE_ACCOUNT, serviceAccountFile: e.FCM_SERVICE_ACCOUNT_FILE }
        : undefined,
    delivery: {
      concurrency: e.DELIVERY_CONCURRENCY,
      retryDelaysMs,
      inDoubtMs: e.DELIVERY_IN_DOUBT_MS,
      statusPollAfterMs: e.DELIVERY_STATUS_POLL_AFTER_MS,
      workers: e.DELIVERY_WORKERS === 'on',
    },
    sweepIntervalMs: e.MESSAGING_SWEEP_INTERVAL_MS,
    liveReminderMinutes: e.LIVE_REMINDER_MINUTES,
    localOutboxDir: e.LOCAL_OUTBOX_DIR ?? path.join(e.DATA_DIR, 'outbox'),
    peopleBackfill: e.PEOPLE_BACKFILL,
  };
}
export type MessagingConfig = ReturnType<typeof messagingConfigFromEnv>;
