/** The HTTP subscription transports, chosen by the request's Accept header. */
export type HttpTransport = 'sse' | 'multipart';

/** What the Accept header asks for: one of our transports, an unsupported multipart spec, or neither. */
export type Negotiated = { transport: HttpTransport } | { unsupported: string } | undefined;

/** The multipart subscription spec we speak (Apollo's multipart HTTP protocol). */
export const MULTIPART_SUBSCRIPTION_SPEC = '1.0';

/**
 * `text/event-stream` (graphql-sse, distinct connections mode) or
 * `multipart/mixed;subscriptionSpec="1.0"` (Apollo Client's multipart subscriptions), whichever
 * the client lists first. `multipart/mixed` without `subscriptionSpec` (incremental delivery,
 * `@defer`) and every other type are not ours: those requests go on to Apollo Server unchanged.
 */
export function negotiate(accept: string | undefined): Negotiated {
  if (!accept) return undefined;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim());
    const mediaType = type.toLowerCase();
    if (mediaType === 'text/event-stream') return { transport: 'sse' };
    if (mediaType !== 'multipart/mixed') continue;
    const spec = params
      .map((p) => p.split('='))
      .find(([name]) => name.trim().toLowerCase() === 'subscriptionspec')?.[1]
      ?.trim()
      .replace(/^"(.*)"$/, '$1');
    if (spec === undefined) continue;
    return spec === MULTIPART_SUBSCRIPTION_SPEC ? { transport: 'multipart' } : { unsupported: spec };
  }
  return undefined;
}
