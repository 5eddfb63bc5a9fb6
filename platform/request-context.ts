import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and downstream call of one request (or queue message) carries. */
export interface RequestScope {
  requestId: string;
  /** School slug, once resolved. */
  tenant?: string;
  userId?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

export const requestScope = {
  run<T>(scope: RequestScope, fn: () => T): T {
    return storage.run(scope, fn);
  },
  get(): RequestScope | undefined {
    return storage.getStore();
  },
  /** Adds fields (tenant, user) once they are known, for the rest of the request. */
  assign(fields: Partial<RequestScope>): void {
    const store = storage.getStore();
    if (store) Object.assign(store, fields);
  },
};
