import { randomBytes } from 'node:crypto';
import { twilioSignature } from '../../subgraphs/messaging/channels/twilio/twilio-signature';
import { startStub, type StubAnswer, type StubRequest, type StubServer } from './http-stub';

/**
 * A stand-in for Twilio's Programmable Messaging on loopback, as Twilio documents it
 * (../shared/reference/channels.md §1): `POST /2010-04-01/Accounts/{sid}/Messages.json` with
 * Basic auth and form parameters (SMS and WhatsApp, free text or a Content template), answering
 * Twilio-shaped JSON, then POSTing the message's status callbacks (sent, delivered, and read on
 * WhatsApp) to its StatusCallback, form-encoded and signed with X-Twilio-Signature.
 */
export interface TwilioServerOptions {
  accountSid: string;
  authToken: string;
  /** To numbers refused at once with 21211 (invalid 'To'). */
  invalidNumbers?: string[];
  /** To numbers accepted, then reported `undelivered` with ErrorCode 30003 (unreachable handset). */
  unreachableNumbers?: string[];
  /** Pause before each status callback; default 5 ms. */
  callbackDelayMs?: number;
}

export interface TwilioMessage {
  sid: string;
  createdAt: Date;
  channel: 'sms' | 'whatsapp';
  to: string;
  from: string;
  body?: string;
  contentSid?: string;
  contentVariables?: Record<string, string>;
  statusCallback?: string;
  /** Its latest status (as the callbacks tell it). */
  status: string;
  /** Every parameter of the create request. */
  params: Record<string, string>;
}

export interface TwilioCallback {
  sid: string;
  url: string;
  params: Record<string, string>;
  signature: string;
  /** The webhook's HTTP answer, or the network error. */
  answer?: number | string;
}

export interface TwilioServer extends StubServer {
  options: TwilioServerOptions;
  /** Every accepted message, in order. */
  messages: TwilioMessage[];
  /** Accepted messages to a number (as given in To, `whatsapp:` included). */
  sentTo(to: string): TwilioMessage[];
  /** Every status callback posted, in order, with the answer it got. */
  callbacks: TwilioCallback[];
  /** The next `count` create requests fail with `status` (default 500). */
  failNext(count: number, status?: 500 | 503 | 429): void;
  /** While true, messages are accepted but no status callback is posted (a callback lost on the way). */
  dropCallbacks: boolean;
  /** Pause before each status callback, in ms. */
  callbackDelayMs: number;
  /** Posts one status callback of a message now (for duplicates, out-of-order or failed statuses); returns the HTTP answer. */
  postCallback(sid: string, status: string, extra?: Record<string, string>): Promise<number | string>;
  /** Resolves when every scheduled callback has been posted. */
  idle(): Promise<void>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const error = (status: number, code: number, message: string): StubAnswer => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

export async function startTwilioServer(options: TwilioServerOptions): Promise<TwilioServer> {
  const { accountSid, authToken } = options;
  const messages: TwilioMessage[] = [];
  const callbacks: TwilioCallback[] = [];
  const pending = new Set<Promise<void>>();
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  let closed = false;
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const post = async (message: TwilioMessage, status: string, extra: Record<string, string> = {}): Promise<number | string> => {
    message.status = status;
    const url = message.statusCallback!;
    const params: Record<string, string> = {
      MessageSid: message.sid,
      SmsSid: message.sid,
      AccountSid: accountSid,
      From: message.from,
      To: message.to,
      MessageStatus: status,
      SmsStatus: status,
      ApiVersion: '2010-04-01',
      ...(message.channel === 'whatsapp' ? { ChannelPrefix: 'whatsapp' } : {}),
      ...extra,
    };
    const signature = twilioSignature(url, params, authToken);
    const callback: TwilioCallback = { sid: message.sid, url, params, signature };
    callbacks.push(callback);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'user-agent': 'TwilioProxy/1.1' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(10_000),
      });
      await res.text();
      callback.answer = res.status;
    } catch (err) {
      callback.answer = (err as Error).message;
    }
    return callback.answer;
  };

  /** The statuses Twilio reports after the create answer, one callback each. */
  const schedule = (message: TwilioMessage) => {
    if (!message.statusCallback || server.dropCallbacks) return;
    const steps: Array<[string, Record<string, string>?]> = options.unreachableNumbers?.includes(message.to.replace(/^whatsapp:/, ''))
      ? [['sent'], ['undelivered', { ErrorCode: '30003' }]]
      : message.channel === 'whatsapp'
        ? [['sent'], ['delivered'], ['read']]
        : [['sent'], ['delivered']];
    const run = (async () => {
      for (const [status, extra] of steps) {
        await new Promise((resolve) => setTimeout(resolve, server.callbackDelayMs));
        if (closed || server.dropCallbacks) return;
        await post(message, status, extra);
      }
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  };

  const create = (req: StubRequest, pathSid: string): StubAnswer => {
    if (req.headers.authorization !== expectedAuth) return error(401, 20003, 'Authenticate');
    if (pathSid !== accountSid)
      return error(404, 20404, `The requested resource /2010-04-01/Accounts/${pathSid}/Messages.json was not found`);
    if (failures.count > 0) {
      failures.count--;
      return failures.status === 429 ? error(429, 20429, 'Too Many Requests') : error(failures.status, 20500, 'Internal Server Error');
    }
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return error(400, 20001, 'Request body must be application/x-www-form-urlencoded');
    }
    const params = Object.fromEntries(new URLSearchParams(req.text));
    const { To: to, From: from, Body: body, ContentSid: contentSid, ContentVariables: variables, StatusCallback: statusCallback } = params;
    if (!to) return error(400, 21604, "A 'To' phone number is required.");
    if (!from) return error(400, 21603, "A 'From' phone number is required.");
    const toWhatsapp = to.startsWith('whatsapp:');
    const fromWhatsapp = from.startsWith('whatsapp:');
    const toNumber = to.replace(/^whatsapp:/, '');
    const fromNumber = from.replace(/^whatsapp:/, '');
    if (!E164.test(toNumber) || options.invalidNumbers?.includes(toNumber)) {
      return error(400, 21211, `The 'To' number ${toNumber} is not a valid phone number.`);
    }
    if (!E164.test(fromNumber)) return error(400, 21212, `The 'From' number ${fromNumber} is not a valid phone number.`);
    if (toWhatsapp !== fromWhatsapp) return error(400, 21910, 'Invalid From and To pair. From and To should be of the same channel');
    let contentVariables: Record<string, string> | undefined;
    if (contentSid !== undefined) {
      if (!toWhatsapp || !/^HX[0-9a-f]{32}$/.test(contentSid)) return error(400, 21655, 'The ContentSid is Invalid');
      if (variables !== undefined) {
        try {
          contentVariables = JSON.parse(variables) as Record<string, string>;
        } catch {
          contentVariables = undefined;
        }
        if (
          !contentVariables ||
          typeof contentVariables !== 'object' ||
          Object.values(contentVariables).some((v) => typeof v !== 'string')
        ) {
          return error(400, 21656, 'The ContentVariables Parameter is invalid');
        }
      }
    } else if (!body) {
      return error(400, 21619, 'A text message body or media urls must be specified.');
    }
    if (body && body.length > 1600) return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (statusCallback !== undefined) {
      let valid = false;
      try {
        const url = new URL(statusCallback);
        valid = ['http:', 'https:'].includes(url.protocol) && !url.hostname.includes('_');
      } catch {
        valid = false;
      }
      if (!valid) return error(400, 21609, 'The StatusCallback URL is not valid');
    }
    const message: TwilioMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      createdAt: new Date(),
      channel: toWhatsapp ? 'whatsapp' : 'sms',
      to,
      from,
      body,
      contentSid,
      contentVariables,
      statusCallback,
      status: 'queued',
      params,
    };
    messages.push(message);
    schedule(message);
    const now = new Date().toUTCString();
    return {
      status: 201,
      body: {
        sid: message.sid,
        account_sid: accountSid,
        api_version: '2010-04-01',
        body: body ?? '',
        date_created: now,
        date_updated: now,
        date_sent: null,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from,
        to,
        messaging_service_sid: null,
        num_media: '0',
        num_segments: '1',
        price: null,
        price_unit: 'USD',
        status: 'queued',
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
      },
    };
  };

  /** The Messages list, filtered by To and From as Twilio filters it, newest first. */
  const list = (req: StubRequest, pathSid: string): StubAnswer => {
    if (req.headers.authorization !== expectedAuth) return error(401, 20003, 'Authenticate');
    if (pathSid !== accountSid) return error(404, 20404, 'The requested resource was not found');
    const to = req.query.get('To');
    const from = req.query.get('From');
    const size = Math.min(Number(req.query.get('PageSize') ?? 50) || 50, 1000);
    const found = messages
      .filter((m) => (!to || m.to === to) && (!from || m.from === from))
      .reverse()
      .slice(0, size)
      .map((m) => ({
        sid: m.sid,
        account_sid: accountSid,
        to: m.to,
        from: m.from,
        body: m.body ?? '',
        status: m.status,
        date_created: m.createdAt.toUTCString().replace('GMT', '+0000'),
      }));
    return { status: 200, body: { messages: found, page: 0, page_size: size, next_page_uri: null } };
  };

  const stub = await startStub((req) => {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.path);
    if (req.method === 'POST' && match) return create(req, decodeURIComponent(match[1]));
    if (req.method === 'GET' && match) return list(req, decodeURIComponent(match[1]));
    const one = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/.exec(req.path);
    if (req.method === 'GET' && one) {
      if (req.headers.authorization !== expectedAuth) return error(401, 20003, 'Authenticate');
      const message = messages.find((m) => m.sid === decodeURIComponent(one[2]));
      if (!message) return error(404, 20404, 'The requested resource was not found');
      const failed = message.status === 'undelivered' || message.status === 'failed';
      return {
        status: 200,
        body: { sid: message.sid, status: message.status, to: message.to, from: message.from, error_code: failed ? 30003 : null },
      };
    }
    return undefined;
  });

  const server = stub as TwilioServer;
  const closeStub = stub.close;
  Object.assign(server, {
    options,
    messages,
    callbacks,
    dropCallbacks: false,
    callbackDelayMs: options.callbackDelayMs ?? 5,
    sentTo: (to: string) => messages.filter((m) => m.to === to),
    failNext(count: number, status: 500 | 503 | 429 = 500) {
      failures = { count, status };
    },
    postCallback(sid: string, status: string, extra?: Record<string, string>) {
      const message = messages.find((m) => m.sid === sid);
      if (!message?.statusCallback) throw new Error(`no Twilio message ${sid} with a status callback`);
      return post(message, status, extra);
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async close() {
      closed = true;
      await Promise.allSettled([...pending]);
      await closeStub();
    },
  });
  return server;
}
