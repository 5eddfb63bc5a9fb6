/** An error the API answered, with its stable code (`extensions.code`): pages switch on the code, show the message. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface WireError {
  message?: string;
  extensions?: { code?: string } & Record<string, unknown>;
}

/** The first error of a GraphQL or /auth answer (both use `{ errors: [{ message, extensions: { code } }] }`). */
export function apiErrorOf(body: unknown, status: number): ApiError {
  const first = (body as { errors?: WireError[] } | undefined)?.errors?.[0];
  if (first) return new ApiError(first.message ?? 'Request failed', first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.extensions);
  if (status === 0) return new ApiError('The network is unreachable', 'NETWORK_ERROR');
  return new ApiError(`The server answered ${status}`, status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_REQUEST');
}

/** The page's language (the `lang` the language provider keeps on <html>): the gateway answers errors in it. */
export const pageLanguage = (): string => document.documentElement.lang || 'ar';

/**
 * POSTs `body` as JSON to this origin: the status and the parsed answer (undefined when it is not
 * JSON); a network failure is an ApiError `NETWORK_ERROR`.
 */
export async function postJson(path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': pageLanguage(), ...headers },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError('The network is unreachable', 'NETWORK_ERROR');
  }
  return { status: res.status, json: res.status === 204 ? undefined : await res.json().catch(() => undefined) };
}
