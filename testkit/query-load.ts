import type { Stack } from './stack';

/**
 * Runs `query Slug { school { slug } }` back to back on `workers` connections until stopped;
 * counts the answers that are right and keeps the others (a supergraph swap must fail none).
 */
export function queryLoad(stack: Stack, workers = 4) {
  let running = true;
  let ok = 0;
  const failures: unknown[] = [];
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const r = await stack
        .gql('query Slug { school { slug } }', { tenant: 'demo' })
        .catch((err: Error) => ({ status: 0, body: { errors: [{ message: err.message }] } }));
      if (r.status === 200 && (r.body as { data?: { school?: { slug?: string } } }).data?.school?.slug === 'demo') ok++;
      else failures.push(r.body);
    }
  });
  return {
    ok: () => ok,
    async stop() {
      running = false;
      await Promise.all(loops);
      return { ok, failures };
    },
  };
}
