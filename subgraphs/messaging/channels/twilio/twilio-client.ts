import { ProviderError, type SendResult } from '../channel';

/** Path of the status callback route (the gateway forwards it from the public host). */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

export interface TwilioAccount {
  /** e.g. https://api.twilio.com, without a trailing slash. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
}

/**
 * The status callback URL of one attempt: the attempt's idempotency key rides in the query, so a
 * callback names the attempt even when the worker died before it could record Twilio's SID.
 * The whole URL (query included) is what Twilio signs, so the webhook must rebuild it exactly.
 */
export function statusCallbackUrl(publicUrl: string, idempotencyKey: string): string {
  const url = new URL(`${publicUrl.replace(/\/+$/, '')}${TWILIO_STATUS_PATH}`);
  url.searchParams.set('key', idempotencyKey);
  return url.toString();
}

/** Twilio's error body (https://www.twilio.com/docs/api/errors). */
interface TwilioErrorBody {
  code?: number;
  message?: string;
  more_info?: string;
}

/** A Message resource (the create answer); `status` is a message status here, an HTTP status in an error. */
interface TwilioMessageBody {
  sid?: string;
  status?: string | number;
  error_code?: number | null;
  error_message?: string | null;
  body?: string;
  /** RFC 2822, e.g. `Mon, 07 Dec 2026 02:45:00 +0000` (second precision). */
  date_created?: string;
}

/** What a send in doubt is recognised by in Twilio's list of messages. */
export interface SentMessageQuery {
  to: string;
  from: string;
  /** When the attempt was claimed: the message, if Twilio took it, was created after. */
  since: Date;
  /** The free text sent; unset for a WhatsApp template (Twilio lists the rendered text, which we do not know). */
  body?: string;
}

/** Twilio's `date_created` has whole seconds, and its clock is not ours: allowance before `since`. */
const CLOCK_SKEW_MS = 60_000;

/**
 * A minimal client of Twilio's Messages resource over Node's fetch: one form-encoded POST per
 * message. The official SDK is not used for sending because it hides the HTTP status we classify
 * errors by and brings its own retry and timeout policy; the worker owns retries.
 */
export class TwilioClient {
  private readonly authorization: string;

  constructor(
    private readonly account: TwilioAccount,
    private readonly timeoutMs: number,
  ) {
    this.authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  }

  get describe(): string {
    return `${this.account.baseUrl} (account ${this.account.accountSid})`;
  }

  /**
   * Creates a message. 4xx answers (other than 429) are permanent: the same request would be
   * refused again (invalid number, unapproved template). 429, 5xx, network errors and timeouts
   * are retryable; after a timeout the message may still have been sent, which the worker learns
   * from the status callback carrying the attempt's key.
   */
  /**
   * The message Twilio created for `query`, if any: its Messages list filtered by To and From
   * (newest first; the first page is enough, a send in doubt is minutes old), matched on the
   * creation time and, for free text, the body. Unreachable or failing: a retryable ProviderError
   * (the worker must not send while it cannot tell).
   */
  async findMessage(query: SentMessageQuery): Promise<SendResult | undefined> {
    const url = new URL(`${this.account.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(this.account.accountSid)}/Messages.json`);
    url.searchParams.set('To', query.to);
    url.searchParams.set('From', query.from);
    url.searchParams.set('PageSize', '50');
    const res = await this.get(url);
    if (!res.ok) throw new ProviderError(`Twilio did not list messages (${res.status})`, false, String(res.status));
    const page = (await res.json().catch(() => ({}))) as { messages?: TwilioMessageBody[] };
    const after = query.since.getTime() - CLOCK_SKEW_MS;
    const found = (page.messages ?? []).find(
      (m) => m.sid && Date.parse(m.date_created ?? '') >= after && (query.body === undefined || m.body === query.body),
    );
    if (!found) return undefined;
    const status = String(found.status ?? 'queued');
    if (status === 'delivered' || status === 'read') return { providerMessageId: found.sid, status: 'DELIVERED' };
    return { providerMessageId: found.sid, status: status === 'sent' ? 'SENT' : 'QUEUED' };
  }

  /** The current status of message `sid` (Twilio's Message fetch); undefined when Twilio does not know it (404). */
  async fetchStatus(sid: string): Promise<{ providerStatus: string; errorCode?: string } | undefined> {
    const url = `${this.account.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(this.account.accountSid)}/Messages/${encodeURIComponent(sid)}.json`;
    const res = await this.get(url);
    if (res.status === 404) return undefined;
    if (!res.ok) throw new ProviderError(`Twilio did not answer the message status (${res.status})`, false, String(res.status));
    const body = (await res.json().catch(() => ({}))) as TwilioMessageBody;
    if (typeof body.status !== 'string') return undefined;
    return { providerStatus: body.status, errorCode: body.error_code ? String(body.error_code) : undefined };
  }

  /** A GET of the REST API; unreachable is a retryable ProviderError. */
  private async get(url: string | URL): Promise<Response> {
    try {
      return await fetch(url, {
        headers: { authorization: this.authorization, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw new ProviderError(`Twilio could not be reached: ${(err as Error).message}`, false, 'NETWORK');
    }
  }

  async createMessage(params: Record<string, string | undefined>): Promise<SendResult> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined) form.set(name, value);
    const url = `${this.account.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(this.account.accountSid)}/Messages.json`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: this.authorization, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (err as Error).message;
      throw new ProviderError(`Twilio could not be reached: ${reason}`, false, 'NETWORK');
    }
    const text = await res.text().catch(() => '');
    let body: (TwilioErrorBody & TwilioMessageBody) | undefined;
    try {
      body = text ? (JSON.parse(text) as TwilioErrorBody & TwilioMessageBody) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const code = body?.code !== undefined ? String(body.code) : String(res.status);
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 429;
      const what = body?.message ?? text.slice(0, 200);
      throw new ProviderError(`Twilio refused the message (${res.status}, ${code}): ${what}`, permanent, code);
    }
    if (!body?.sid) throw new ProviderError(`Twilio's answer lacks the message sid: ${text.slice(0, 200)}`, false, 'BAD_RESPONSE');
    const status = String(body.status ?? 'queued');
    if (status === 'failed' || status === 'undelivered') {
      const code = body.error_code ? String(body.error_code) : status.toUpperCase();
      throw new ProviderError(`Twilio did not send the message: ${body.error_message ?? status}`, true, code);
    }
    if (status === 'delivered' || status === 'read') return { providerMessageId: body.sid, status: 'DELIVERED' };
    if (status === 'sent') return { providerMessageId: body.sid, status: 'SENT' };
    // queued, accepted, scheduled, sending: no callback comes for the initial status (channels.md
    // §1.2), so this answer is the only record of it.
    return { providerMessageId: body.sid, status: 'QUEUED' };
  }
}
