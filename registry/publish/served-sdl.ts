import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { diff, type Change } from '@graphql-inspector/core';
import { parse, type GraphQLSchema } from 'graphql';
import { INTERNAL_CONTEXT_HEADER, type InternalContextSigner } from '../../platform/auth/internal-context';
import type { SubgraphInput } from '../composition/subgraph-input';

/** One way the proposed SDL differs from what the running subgraph serves. */
export interface ServedDifference {
  /** @graphql-inspector/core's change type from the served SDL to the proposed one, e.g. FIELD_ADDED. */
  type: string;
  path?: string;
  message: string;
}

/** What a publish learned by asking one subgraph for its own SDL. */
export interface ServedCheck {
  name: string;
  /** The routing URL of the proposal. */
  url: string;
  /** Where the SDL was asked for: the routing URL, or this registry's override for the subgraph (SUBGRAPH_URLS). */
  checkedAt: string;
  /** The subgraph serves exactly the proposed schema (descriptions aside). */
  ok: boolean;
  /** Set when the served SDL could not be read: nothing is known about what runs. */
  error?: string;
  differences: ServedDifference[];
}

export interface ServedSdlOptions {
  sign: InternalContextSigner;
  /** Per-subgraph URL overrides (embedded mode: routing URLs name the default ports, subgraphs run elsewhere). */
  urls: Record<string, string>;
  timeoutMs: number;
}

const QUERY = JSON.stringify({ query: 'query RegistryServedSdl { _service { sdl } }', operationName: 'RegistryServedSdl' });
/** Far above any real subgraph SDL; a misdirected URL streaming forever is cut off here. */
const MAX_ANSWER_BYTES = 20 * 1024 * 1024;

/** Descriptions document a schema but do not change what executes; a differing one is not a reason to refuse. */
const documentationOnly = (c: Change) => /DESCRIPTION/.test(String(c.type));

/** Differences worded from the publisher's side: what they propose versus what runs. */
function describe(name: string, c: Change): ServedDifference {
  const type = String(c.type);
  const what = c.path ?? '';
  const wording: Record<string, string> = {
    FIELD_ADDED: `${what} is in the proposal but ${name} does not serve it`,
    TYPE_ADDED: `type ${what} is in the proposal but ${name} does not serve it`,
    ENUM_VALUE_ADDED: `enum value ${what} is in the proposal but ${name} does not serve it`,
    FIELD_ARGUMENT_ADDED: `argument ${what} is in the proposal but ${name} does not accept it`,
    FIELD_REMOVED: `${what} is served by ${name} but missing from the proposal`,
    TYPE_REMOVED: `type ${what} is served by ${name} but missing from the proposal`,
    ENUM_VALUE_REMOVED: `enum value ${what} is served by ${name} but missing from the proposal`,
    FIELD_ARGUMENT_REMOVED: `argument ${what} is accepted by ${name} but missing from the proposal`,
  };
  return { type, path: c.path, message: wording[type] ?? `from what ${name} serves to the proposal: ${c.message}` };
}

/** The subgraph schema of an SDL, built the way a subgraph builds its own (so both sides print alike). */
const subgraphSchema = (sdl: string): GraphQLSchema => buildSubgraphSchema(parse(sdl));

/**
 * Compares a proposed SDL with the SDL a subgraph serves. Both are rebuilt as subgraph schemas
 * and printed, so formatting, order and the federation definitions a running subgraph adds do
 * not count; what differs is then listed with @graphql-inspector/core, descriptions aside. A
 * difference inspector does not name (a directive it does not track) is still reported.
 */
export async function compareServed(name: string, proposed: string, served: string): Promise<ServedDifference[]> {
  const [before, after] = [subgraphSchema(served), subgraphSchema(proposed)];
  const [printedBefore, printedAfter] = [printSubgraphSchema(before), printSubgraphSchema(after)];
  if (printedBefore === printedAfter) return [];
  const changes = await diff(before, after);
  const differences = changes.filter((c) => !documentationOnly(c)).map((c) => describe(name, c));
  if (differences.length || changes.length) return differences;
  const [a, b] = [printedBefore.split('\n'), printedAfter.split('\n')];
  const line = a.findIndex((l, i) => l !== b[i]);
  return [
    {
      type: 'SDL_CHANGED',
      message: `the proposal differs from what ${name} serves at line ${line + 1}: served "${(a[line] ?? '').trim()}", proposed "${(b[line] ?? '').trim()}"`,
    },
  ];
}

async function readCapped(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_ANSWER_BYTES) throw new Error(`answered ${declared} bytes, more than a subgraph SDL`);
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error('answered more bytes than a subgraph SDL');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why a network failure happened, in the words an operator searches for (ECONNREFUSED, ENOTFOUND, …). */
function networkReason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'no answer in time';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/**
 * Asks running subgraphs for their own SDL (`_service { sdl }`), signed as the gateway signs its
 * calls (anonymous, audience = the subgraph), so a publish can be refused when it does not
 * describe what runs: a gateway would otherwise plan queries for fields nobody serves. Redirects
 * are not followed, answers are time- and size-bounded.
 */
export class ServedSdl {
  constructor(private readonly opts: ServedSdlOptions) {}

  check(subgraphs: SubgraphInput[]): Promise<ServedCheck[]> {
    return Promise.all(subgraphs.map((s) => this.checkOne(s)));
  }

  private async checkOne({ name, url, sdl }: SubgraphInput): Promise<ServedCheck> {
    const checkedAt = this.opts.urls[name] ?? url;
    const base = { name, url, checkedAt };
    let served: string;
    try {
      served = await this.fetchSdl(name, checkedAt);
    } catch (err) {
      return { ...base, ok: false, error: (err as Error).message, differences: [] };
    }
    try {
      const differences = await compareServed(name, sdl, served);
      return { ...base, ok: differences.length === 0, differences };
    } catch (err) {
      return {
        ...base,
        ok: false,
        error: `${name} at ${checkedAt} serves an SDL that does not build: ${(err as Error).message}`,
        differences: [],
      };
    }
  }

  private async fetchSdl(name: string, at: string): Promise<string> {
    const where = `${name} at ${at}`;
    let res: Response;
    try {
      res = await fetch(at, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'manassa-registry',
          [INTERNAL_CONTEXT_HEADER]: await this.opts.sign({}, name),
        },
        body: QUERY,
        // The routing URL is the gateway's: a redirect is not what the gateway would reach.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (err) {
      throw new Error(`could not reach ${where}: ${networkReason(err)}`);
    }
    let text: string;
    try {
      text = await readCapped(res);
    } catch (err) {
      throw new Error(`${where} ${networkReason(err)}`);
    }
    if (res.status === 401 || res.status === 403)
      throw new Error(
        `${where} refused the registry's signed context (HTTP ${res.status}): the registry must sign with the gateway's internal-context key (INTERNAL_SIGNING_KEYS)`,
      );
    if (res.status >= 300 && res.status < 400)
      throw new Error(`${where} redirects (HTTP ${res.status}): publish the URL the gateway reaches`);
    let body: { data?: { _service?: { sdl?: unknown } }; errors?: Array<{ message?: string }> } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const sdl = body?.data?._service?.sdl;
    if (typeof sdl === 'string' && sdl.trim()) return sdl;
    const reason = body?.errors?.[0]?.message ?? (body ? 'no _service.sdl in the answer' : `HTTP ${res.status}, not a GraphQL answer`);
    throw new Error(`${where} did not answer { _service { sdl } } (${reason}): is it this federation subgraph?`);
  }
}

/** One line per subgraph that did not match, for logs, refusals and the forced publish's record. */
export function servedSummary(checks: ServedCheck[]): string {
  return checks
    .filter((c) => !c.ok)
    .map((c) => (c.error ? c.error : `${c.name} at ${c.checkedAt}: ${c.differences.map((d) => d.path ?? d.type).join(', ')}`))
    .join('; ');
}
