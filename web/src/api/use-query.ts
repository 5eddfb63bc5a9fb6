import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError } from './errors';
import { request } from './graphql';

export interface QueryState<R> {
  data: R | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again (after a mutation, or from a "try again" button); keeps the old data meanwhile. */
  refetch: () => Promise<void>;
}

/** Runs a typed query when the component mounts and whenever `variables` change (compared as JSON). */
export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables?: V, { skip = false } = {}): QueryState<R> {
  const key = JSON.stringify(variables ?? {});
  const [round, setRound] = useState(0);
  // What the last finished call answered, and for which variables and round: `loading` until the current one is in.
  const [answer, setAnswer] = useState<{ key: string; round: number; data?: R; error?: ApiError }>();
  const waiters = useRef<(() => void)[]>([]);
  useEffect(() => {
    if (skip) return;
    let current = true;
    const settle = (next: { data?: R; error?: ApiError }) => {
      if (!current) return;
      setAnswer((prev) => ({ key, round, data: next.data ?? (prev?.key === key ? prev.data : undefined), error: next.error }));
      for (const w of waiters.current.splice(0)) w();
    };
    request(document, JSON.parse(key) as V).then(
      (data) => settle({ data }),
      (err) => settle({ error: err instanceof ApiError ? err : new ApiError(String(err), 'INTERNAL_SERVER_ERROR') }),
    );
    return () => {
      current = false;
    };
  }, [document, key, round, skip]);
  const refetch = useCallback(() => {
    const done = new Promise<void>((resolve) => waiters.current.push(resolve));
    setRound((r) => r + 1);
    return done;
  }, []);
  const same = answer?.key === key;
  return {
    data: same ? answer.data : undefined,
    error: same ? answer.error : undefined,
    loading: !skip && !(same && answer.round === round),
    refetch,
  };
}

/** A mutation with its pending and error state, for buttons and forms. */
export function useMutation<R, V>(document: TypedDocumentString<R, V>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const mutate = useCallback(
    async (variables: V): Promise<R | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await request(document, variables);
      } catch (err) {
        setError(err instanceof ApiError ? err : new ApiError(String(err), 'INTERNAL_SERVER_ERROR'));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [document],
  );
  return { mutate, pending, error, reset: () => setError(undefined) };
}
