import http from 'node:http';

export interface GqlOptions {
  variables?: Record<string, unknown>;
  tenant?: string;
  token?: string;
  /** Extra headers; `host` is honoured (fetch would drop it), for subdomain tenants. */
  headers?: Record<string, string>;
}

export interface GqlResult<T = any> {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { data?: T; errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; [k: string]: unknown } }> };
}

/**
 * Sends a raw HTTP request and resolves with the status and the body text. `fresh` opens a new
 * connection instead of reusing a kept-alive one.
 */
export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; fresh?: boolean } = {},
) {
  return new Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? 'POST', headers: opts.headers, agent: opts.fresh ? false : undefined },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** POSTs one GraphQL operation as a client app would. */
export async function gql<T = any>(url: string, query: string, opts: GqlOptions = {}): Promise<GqlResult<T>> {
  // Tests read messages in English unless they ask otherwise ('' sends no Accept-Language: the
  // person's or the school's language applies).
  const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-language': 'en', ...opts.headers };
  if (!headers['accept-language']) delete headers['accept-language'];
  if (opts.tenant) headers['x-tenant-id'] = opts.tenant;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await request(url, { headers, body: JSON.stringify({ query, variables: opts.variables }) });
  try {
    return { status: res.status, headers: res.headers, body: JSON.parse(res.text) };
  } catch {
    throw new Error(`non-JSON answer (${res.status}): ${res.text.slice(0, 300)}`);
  }
}

/** The error codes of a result, in order. */
export const codes = (r: GqlResult) => (r.body.errors ?? []).map((e) => e.extensions?.code);
