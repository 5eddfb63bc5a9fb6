import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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
  /** The `apollographql-client-name`s that may send only their registered operations. */
  clients: string[];
  source: TrustedListSource;
  /** Pause between two reloads of the lists. */
  pollIntervalMs: number;
  logger: Logger;
}

/**
 * Trusted documents (safelisting) of first-party clients marked trusted-only: in front of Apollo
 * Server, an operation of such a client runs only if its list holds it, sent in full or by hash
 * alone (`extensions.persistedQuery.sha256Hash`, the body then filled in from the list); anything
 * else gets PERSISTED_QUERY_NOT_IN_LIST (HTTP 400). Other clients pass untouched (APQ and full
 * queries). Lists are reloaded on an interval; while their source fails the last ones loaded
 * stay, and a client whose list never loaded is refused everything (closed, not open).
 */
export function trustedDocuments(opts: TrustedDocumentsOptions) {
  const trustedOnly = new Set(opts.clients);
  const lists = new Map<string, TrustedList>();
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  const reload = async () => {
    for (const client of trustedOnly) {
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
  };

  /** The body to run, or undefined when the list does not hold the operation. */
  const admit = (list: TrustedList | undefined, query: unknown, hash: unknown): string | undefined => {
    if (!list) return undefined;
    if (typeof query === 'string' && query) return list.has(sha256(query)) ? query : undefined;
    return typeof hash === 'string' ? list.get(hash) : undefined;
  };

  const refuse = (req: Request, res: Response) => {
    const locale = chooseLocale({ acceptLanguage: req.header('accept-language') });
    res.setHeader('content-language', locale);
    res.status(400).json({ errors: [{ message: translate(NOT_IN_LIST_MESSAGE, locale), extensions: { code: NOT_IN_LIST } }] });
  };

  const middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const client = req.header('apollographql-client-name');
    if (!client || !trustedOnly.has(client)) return next();
    const list = lists.get(client);
    if (req.method === 'GET') {
      const url = new URL(req.url, 'http://gateway');
      const extensions = parseJson(url.searchParams.get('extensions'));
      const body = admit(list, url.searchParams.get('query'), hashOf(extensions));
      if (body === undefined) return refuse(req, res);
      url.searchParams.set('query', body);
      req.url = `${url.pathname}${url.search}`;
      return next();
    }
    if (req.method !== 'POST') return next();
    // A batch (an array) is not something Apollo Client's trusted-documents link sends.
    const payload = req.body as { query?: unknown; extensions?: unknown } | undefined;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return refuse(req, res);
    const body = admit(list, payload.query, hashOf(payload.extensions));
    if (body === undefined) return refuse(req, res);
    payload.query = body;
    return next();
  };

  return {
    middleware,
    async start() {
      if (!trustedOnly.size) return;
      await reload();
      timer = setInterval(() => void reload(), opts.pollIntervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
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
