/** Polls `check` until it stops throwing: tests wait on outcomes, never on a fixed delay. */
/** `intervalMs`: the pause between two checks; raise it when a check is costly (a query on a new connection). */
export async function eventually(check: () => unknown | Promise<unknown>, timeoutMs = 15_000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
