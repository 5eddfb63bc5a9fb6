import { useEffect, useState } from 'react';
import type { ApiError } from '../../api/errors';
import { liveValues } from '../../api/live-values';
import type { TypedDocumentString } from '../../gql/graphql';

/**
 * The latest value of a figures subscription (each event is the whole set) and when it came;
 * undefined until the first change, so the page shows its query's figures meanwhile.
 */
export function useLiveValue<R, V extends Record<string, unknown>, T>(
  document: TypedDocumentString<R, V>,
  variables: V,
  pick: (data: R) => T,
  { skip = false } = {},
): { value?: T; at?: Date; error?: ApiError } {
  const [state, setState] = useState<{ key: string; value?: T; at?: Date; error?: ApiError }>();
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    return liveValues(document, JSON.parse(key) as V, pick, {
      onValue: (value) => setState({ key, value, at: new Date() }),
      onError: (error) => setState((s) => ({ ...s, key, error })),
    });
    // `pick` is a plain accessor: a new one each render must not subscribe again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [document, key, skip]);
  return state?.key === key ? state : {};
}
