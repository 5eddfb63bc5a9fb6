/**
 * Subscriptions whose every event is the whole current value (live dashboard figures): nothing to
 * resume, so no `after`. They share live.ts's client (its reconnects and connection state); after a
 * reconnect graphql-ws subscribes again and the server sends the figures as they are then, so the
 * page shows what it last got meanwhile and catches up with the next change.
 */
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError } from './errors';
import { liveClient } from './live';

export interface ValuesOptions<T> {
  onValue: (value: T) => void;
  onError?: (error: ApiError) => void;
}

/** Follows `document` (a subscription) and hands each value `pick` takes from it; returns the function that ends it. */
export function liveValues<R, V extends Record<string, unknown>, T>(
  document: TypedDocumentString<R, V>,
  variables: V,
  pick: (data: R) => T,
  { onValue, onError }: ValuesOptions<T>,
): () => void {
  return liveClient().subscribe<R>(
    { query: document.toString(), variables },
    {
      next: (result) => {
        if (result.errors?.length) {
          const e = result.errors[0] as { message: string; extensions?: { code?: string } };
          onError?.(new ApiError(e.message, e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          return;
        }
        if (result.data) onValue(pick(result.data as R));
      },
      error: (err) => {
        const e = Array.isArray(err) ? err[0] : err;
        const code = (e as { extensions?: { code?: string } })?.extensions?.code ?? 'SERVICE_UNAVAILABLE';
        onError?.(new ApiError((e as Error)?.message ?? 'Subscription failed', code));
      },
      complete: () => undefined,
    },
  );
}
