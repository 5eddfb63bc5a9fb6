/**
 * Rejects with `message` once `ms` have passed without `promise` settling. The work behind the
 * promise is not cancelled: it may still complete later.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), Math.max(0, ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs the tasks given to it one at a time, in call order; each call resolves or rejects with its
 * own task's outcome, and a failed task does not hold up the ones after it.
 */
export function serialQueue(): <T>(task: () => Promise<T> | T) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}
