import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/** How long, and for whom, a subgraph lets one of its answers be reused. */
export interface FetchHint {
  /** Seconds, more than 0. */
  maxAge: number;
  /** `private`: the answer depends on who asked (the gateway keeps it for that user only). */
  private: boolean;
}

/**
 * The subgraph's `Cache-Control` of a fetch's answer (platform/graphql/cache-control.ts: its
 * Apollo Server computes it from the `@cacheControl` hints of the fields answered), or undefined
 * when the answer may not be kept: no header (an answer the gateway made up for a failed call,
 * a subgraph without the plugin), `no-store` or `no-cache`, no `max-age` or `max-age=0`.
 */
export function hintOf(response: GatewayGraphQLResponse): FetchHint | undefined {
  const header = response.http?.headers.get('cache-control');
  if (!header) return undefined;
  let maxAge = 0;
  let isPrivate = false;
  for (const part of header.split(',')) {
    const [name, value] = part.trim().toLowerCase().split('=', 2);
    if (name === 'no-store' || name === 'no-cache') return undefined;
    if (name === 'private') isPrivate = true;
    else if (name === 'max-age' && value !== undefined && /^\d+$/.test(value)) maxAge = Number(value);
  }
  return maxAge > 0 ? { maxAge, private: isPrivate } : undefined;
}
