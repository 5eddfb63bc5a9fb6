import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

/**
 * A mail server on a loopback port (the `smtp-server` package), collecting what it is sent, parsed
 * with `mailparser` so tests count messages by Message-ID and recipient and read their parts. It
 * can refuse recipients (550), defer them or the data (451), hold messages to keep connections
 * busy, and counts connections to show pooling.
 */
export interface SmtpServerOptions {
  /** Credentials it demands (AUTH PLAIN/LOGIN); unset = no authentication. */
  auth?: { user: string; pass: string };
  /** Recipients refused with 550 5.1.1 (no such mailbox: permanent). */
  rejectRecipients?: string[];
  /** Recipients deferred with 451 4.3.0 (try again later). */
  deferRecipients?: string[];
}

export interface SmtpMessage {
  messageId?: string;
  envelopeFrom: string;
  envelopeTo: string[];
  from?: string;
  subject?: string;
  text?: string;
  html?: string;
  headers: Map<string, unknown>;
  raw: Buffer;
  /** Which connection delivered it (smtp-server's session id). */
  sessionId: string;
}

export interface FakeSmtpServer {
  /** smtp://[user:pass@]127.0.0.1:port */
  url: string;
  port: number;
  messages: SmtpMessage[];
  /** Messages whose envelope includes `address`. */
  sentTo(address: string): SmtpMessage[];
  /** Messages with this Message-ID (`<…>`). */
  withMessageId(messageId: string): SmtpMessage[];
  /** Connections opened so far, and the most open at once. */
  connections: { total: number; open: number; maxOpen: number };
  /** The next `count` messages are refused at the end of DATA with 451 (a transient failure). */
  failNextData(count: number): void;
  /** Holds every message at the end of DATA until `release()`; resolves nothing itself. */
  hold(): { release(): void };
  close(): Promise<void>;
}

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<FakeSmtpServer> {
  const messages: SmtpMessage[] = [];
  const connections = { total: 0, open: 0, maxOpen: 0 };
  let failData = 0;
  let gate: Promise<void> | undefined;
  const lower = (list?: string[]) => new Set((list ?? []).map((a) => a.toLowerCase()));
  const rejected = lower(options.rejectRecipients);
  const deferred = lower(options.deferRecipients);

  const server = new SMTPServer({
    logger: false,
    // Plain loopback: nodemailer would otherwise upgrade to TLS with a certificate it cannot trust.
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      connections.total++;
      connections.open++;
      connections.maxOpen = Math.max(connections.maxOpen, connections.open);
      callback();
    },
    onClose() {
      connections.open--;
    },
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
        return;
      }
      callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback) {
      const to = address.address.toLowerCase();
      if (rejected.has(to)) return callback(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
      if (deferred.has(to)) return callback(smtpError(451, `4.3.0 <${address.address}>: Temporary lookup failure, try again later`));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        void (async () => {
          if (gate) await gate;
          if (failData > 0) {
            failData--;
            return callback(smtpError(451, '4.3.0 Error: queue file write error, try again later'));
          }
          const raw = Buffer.concat(chunks);
          const parsed = await simpleParser(raw);
          messages.push({
            messageId: parsed.messageId,
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            from: parsed.from?.text,
            subject: parsed.subject,
            text: parsed.text,
            html: typeof parsed.html === 'string' ? parsed.html : undefined,
            headers: parsed.headers,
            raw,
            sessionId: session.id,
          });
          callback(null, `2.0.0 Ok: queued as ${messages.length}`);
        })().catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A connection dropped by a client mid-session is not the server's failure.
  server.on('error', () => undefined);
  const port = (server.server.address() as AddressInfo).port;
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';

  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    port,
    messages,
    connections,
    sentTo: (address) => messages.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === address.toLowerCase())),
    withMessageId: (messageId) => messages.filter((m) => m.messageId === messageId),
    failNextData(count) {
      failData = count;
    },
    hold() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return {
        release() {
          gate = undefined;
          release();
        },
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
