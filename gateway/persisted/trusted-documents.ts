import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { chooseLocale } from '../../platform/i18n/locale';
import { message } from '../../platform/i18n/message';
import { translate } from '../../platform/i18n/translate';
import type { Logger } from '../../platform/logger';

/** The code of a trusted-only client's operation that is not in its list. */
export const NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';
const NOT_IN_LIST_MESSAGE = message('This app may only send the operations it registered');

/** One client's trusted documents: SHA-256 (hex) of the body → body. */
export type TrustedList = ReadonlyMap<string, string>;
/** Where a client's list comes from: the registry, or a manifest file in embedded mode. */
export type TrustedListSource = (client: string) => Promise<Array<{ id: string; body: string }>>;
/** Which clients are trusted-only besides the configured ones (the registry's flag). */
export type TrustedClientsSource = () => Promise<string[]>;

/** An operation as a client sent it, on any transport: its text, or a reference to a registered one. */
export interface SentOperation {
  query?: unknown;
  /** `{ persistedQuery: { version: 1, sha256Hash } }` (Apollo's persisted-query link, APQ and trusted documents). */
  extensions?: unknown;
  /** GraphQL over HTTP's persisted documents: `sha256:<hex>` (or the bare hex). */
  documentId?: unknown;
}

/**
 * What a transport does with an operation: `open` (not a trusted-only client: as sent), `run`
 * (a trusted-only client's registered operation: run `query`, the registered body) or `refuse`
 * (answer `error`, PERSISTED_QUERY_NOT_IN_LIST).
 */
export type TrustedVerdict = { open: true } | { open: false; query: string } | { open: false; error: GraphQLError };

/** The PERSISTED_QUERY_NOT_IN_LIST error, in English (the edge translates it), for transports that answer GraphQL errors. */
export const notInListError = () => new GraphQLError(NOT_IN_LIST_MESSAGE, { extensions: { code: NOT_IN_LIST } });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The registry's `GET /v1/persisted/<client>` (a `read` token, as for the supergraph). */
export function registryTrustedLists(opts: { url: string; token: string; timeoutMs?: number }): TrustedListSource {
  return async (client) => {
    const res = await fetch(new URL(`/v1/persisted/${encodeURIComponent(client)}`, opts.url), {
      headers: { authorization: `Bearer ${opts.token}` },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
    });
    if (!res.ok) throw new Error(`registry answered HTTP ${res.status}`);
    return ((await res.json()) as { operations: Array<{ id: string; body: string }> }).operations;
  };
}

/**
 * The clients an operator marked trusted-only in the registry (`GET /v1/persisted?trustedOnly=true`),
 * on top of the gateway's own TRUSTED_ONLY_CLIENTS.
 */
export function registryTrustedOnlyClients(opts: { url: string; token: string; timeoutMs?: number }): TrustedClientsSource {
  return async () => {
    const res = await fetch(new URL('/v1/persisted?trustedOnly=true', opts.url), {
      headers: { authorization: `Bearer ${opts.token}` },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
    });
    if (!res.ok) throw new Error(`registry answered HTTP ${res.status}`);
    return ((await res.json()) as { clients: Array<{ client: string; trustedOnly: boolean }> }).clients
      .filter((c) => c.trustedOnly)
      .map((c) => c.client);
  };
}

/** `<dir>/<client>.json`, Apollo persisted-query manifests (embedded mode, no registry); no file = empty list. */
export function fileTrustedLists(dir: string): TrustedListSource {
  return async (client) => {
    const text = await readFile(path.join(dir, `${path.basename(client)}.json`), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '{"operations":[]}';
      throw err;
    });
    const manifest = JSON.parse(text) as { operations?: Array<{ id: string; body: string }> };
    // An entry whose id is not its body's hash could never be matched honestly: left out.
    return (manifest.operations ?? []).filter((op) => typeof op.body === 'string' && sha256(op.body) === op.id);
  };
}

export interface TrustedDocumentsOptions {
  /** The `apollographql-client-name`s that may send only their registered operations (TRUSTED_ONLY_CLIENTS). */
  clients: string[];
  source: TrustedListSource;
  /** More such clients, reloaded with the lists (the registry's flag); while it fails the last answer stays. */
  trustedOnlySource?: TrustedClientsSource;
  /** Pause between two reloads of the lists. */
  pollIntervalMs: number;
  logger: Logger;
}

/**
 * Trusted documents (safelisting) of first-party clients marked trusted-only (TRUSTED_ONLY_CLIENTS,
 * and those the registry flags): in front of Apollo Server, an operation of such a client runs
 * only if its list holds it, sent in full or by reference alone (`extensions.persistedQuery.sha256Hash`
 * or `documentId`, the body then filled in from the list); anything else gets
 * PERSISTED_QUERY_NOT_IN_LIST (HTTP 400). Subscription transports apply the same `check`. Other
 * clients pass untouched (APQ and full queries). Lists and flags are reloaded on an interval; while
 * their source fails the last ones loaded stay, and a client whose list never loaded is refused
 * everything (closed, not open).
 */
export function trustedDocuments(opts: TrustedDocumentsOptions) {
  const configured = new Set(opts.clients);
  /** The registry's trusted-only clients, as last read. */
  let flagged = new Set<string>();
  const lists = new Map<string, TrustedList>();
  let timer: NodeJS.Timeout | undefined;
  let failing = false;
  let flagsFailing = false;

  const isTrustedOnly = (client: string | undefined): client is string => !!client && (configured.has(client) || flagged.has(client));

  const reload = async () => {
    let next = flagged;
    if (opts.trustedOnlySource) {
      try {
        next = new Set(await opts.trustedOnlySource());
        if (flagsFailing) opts.logger.info('trusted-only clients reachable again');
        flagsFailing = false;
      } catch (err) {
        if (!flagsFailing) opts.logger.warn({ err: (err as Error).message }, 'trusted-only clients unavailable; keeping the last ones');
        flagsFailing = true;
      }
    }
    // Lists first, then the flags: a newly flagged client is held to its list once the list is there.
    for (const client of new Set([...configured, ...next])) {
      try {
        const ops = await opts.source(client);
        lists.set(client, new Map(ops.map((op) => [op.id, op.body])));
        if (failing) opts.logger.info({ client }, 'trusted documents reachable again');
        failing = false;
      } catch (err) {
        if (!failing) opts.logger.warn({ err: (err as Error).message, client }, 'trusted documents unavailable; keeping the last lists');
        failing = true;
      }
    }
    flagged = next;
    // A client no longer trusted-only needs no list.
    for (const client of lists.keys()) if (!isTrustedOnly(client)) lists.delete(client);
  };

  /**
   * The check of every transport (HTTP here, graphql-ws in subscriptions/protocol.ts, SSE and
   * multipart): a trusted-only client's operation runs only if its list holds it, sent in full
   * (its SHA-256 is listed) or by reference alone (the APQ hash or a documentId), the body then
   * taken from the list.
   */
  const check = (client: string | undefined, sent: SentOperation): TrustedVerdict => {
    if (!isTrustedOnly(client)) return { open: true };
    const list = lists.get(client);
    const { query } = sent;
    let body: string | undefined;
    if (!list) body = undefined;
    else if (typeof query === 'string' && query) body = list.has(sha256(query)) ? query : undefined;
    else {
      const hash = referenceOf(sent);
      body = hash === undefined ? undefined : list.get(hash);
    }
    return body === undefined ? { open: false, error: notInListError() } : { open: false, query: body };
  };

  const refuse = (req: Request, res: Response) => {
    const locale = chooseLocale({ acceptLanguage: req.header('accept-language') });
    res.setHeader('content-language', locale);
    res.status(400).json({ errors: [{ message: translate(NOT_IN_LIST_MESSAGE, locale), extensions: { code: NOT_IN_LIST } }] });
  };

  const middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const client = req.header('apollographql-client-name');
    if (!isTrustedOnly(client)) return next();
    if (req.method === 'GET') {
      const url = new URL(req.url, 'http://gateway');
      const verdict = check(client, {
        query: url.searchParams.get('query'),
        extensions: parseJson(url.searchParams.get('extensions')),
        documentId: url.searchParams.get('documentId') ?? undefined,
      });
      if (!('query' in verdict)) return refuse(req, res);
      url.searchParams.set('query', verdict.query);
      req.url = `${url.pathname}${url.search}`;
      return next();
    }
    if (req.method !== 'POST') return next();
    // A batch (an array) is not something Apollo Client's trusted-documents link sends.
    const payload = req.body as (SentOperation & { query?: unknown }) | undefined;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return refuse(req, res);
    const verdict = check(client, payload);
    if (!('query' in verdict)) return refuse(req, res);
    payload.query = verdict.query;
    return next();
  };

  return {
    middleware,
    check,
    isTrustedOnly,
    async start() {
      if (!configured.size && !opts.trustedOnlySource) return;
      await reload();
      timer = setInterval(() => void reload(), opts.pollIntervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
export type TrustedDocuments = ReturnType<typeof trustedDocuments>;
/** What a subscription transport needs of the trusted documents: the check (the client's name is the transport's to find). */
export type TrustedCheck = Pick<TrustedDocuments, 'check'>;

/** The registered operation a client names without its text: the APQ hash, else a documentId (`sha256:<hex>` or the hex). */
function referenceOf(sent: SentOperation): string | undefined {
  const hash = hashOf(sent.extensions);
  if (typeof hash === 'string') return hash;
  if (typeof sent.documentId !== 'string') return undefined;
  return sent.documentId.startsWith('sha256:') ? sent.documentId.slice('sha256:'.length) : sent.documentId;
}

const hashOf = (extensions: unknown): unknown =>
  (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
