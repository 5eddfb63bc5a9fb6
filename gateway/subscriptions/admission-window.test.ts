import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { createInternalContextSigner } from '../../platform/auth/internal-context';
import { keySetFromJwks } from '../../platform/auth/keys';
import { createLogger } from '../../platform/logger';
import { testKeys } from '../../testkit/keys';
import { AdmissionBatcher } from './admission-batcher';
import { demoStudent, liveSessionBatch } from '../../testkit/subscriptions/admission-fixtures';

/**
 * When a batch goes: once no admission has joined it for the window, or once its first has waited
 * `maxWaitMs` while others keep joining (a class starting). On jest's clock, so each step is exact.
 */
describe('AdmissionBatcher window', () => {
  let sign: ReturnType<typeof createInternalContextSigner>;
  beforeAll(async () => {
    sign = createInternalContextSigner(await keySetFromJwks(JSON.parse((await testKeys()).internal)));
  });
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  /** A batcher whose subgraph admits everyone, recording each call's size and time (ms after start). */
  const setup = (opts: { windowMs: number; maxWaitMs?: number; maxBatch?: number }) => {
    const start = Date.now();
    const calls: { size: number; at: number }[] = [];
    const batcher = new AdmissionBatcher({
      sign,
      logger: createLogger('test', 'silent'),
      backoff: () => 10,
      ...opts,
      post: async (_service, body): Promise<GatewayGraphQLResponse> => {
        const size = (JSON.parse(body) as { variables: { requests: unknown[] } }).variables.requests.length;
        calls.push({ size, at: Date.now() - start });
        return { data: { [liveSessionBatch.field]: Array.from({ length: size }, () => ({ sharing: 'role', replays: true })) } };
      },
    });
    const admit = (i: number) => batcher.admit('courses', liveSessionBatch, { id: 'session-1' }, demoStudent(i));
    /** `count` admissions, one every `everyMs` on the clock; their answers. */
    const stream = async (count: number, everyMs: number) => {
      const answers = [];
      for (let i = 0; i < count; i++) {
        answers.push(admit(i));
        await jest.advanceTimersByTimeAsync(everyMs);
      }
      return answers;
    };
    return { batcher, calls, admit, stream };
  };

  it('sends a lone admission once the window has passed, not before', async () => {
    const { batcher, calls, admit } = setup({ windowMs: 20, maxWaitMs: 150 });
    const answer = admit(0);
    await jest.advanceTimersByTimeAsync(19);
    expect(calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{ size: 1, at: 20 }]);
    expect(await answer).toEqual({ admission: { sharing: 'role', replays: true } });
    batcher.close();
  });

  it('waits while admissions keep joining, then sends them together once quiet', async () => {
    const { batcher, calls, stream } = setup({ windowMs: 20, maxWaitMs: 150 });
    // One every 10 ms for 50 ms: never 20 ms quiet until the last one.
    const answers = await stream(6, 10);
    expect(calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(10);
    expect(calls).toEqual([{ size: 6, at: 70 }]);
    expect(await Promise.all(answers)).toHaveLength(6);
    batcher.close();
  });

  it('sends at maxWaitMs after the first admission however steadily others join', async () => {
    const { batcher, calls, stream } = setup({ windowMs: 20, maxWaitMs: 100 });
    // One every 5 ms for 240 ms: never quiet, so the calls go at the maximum wait.
    const answers = await stream(48, 5);
    await jest.advanceTimersByTimeAsync(100);
    // Joined at 0…95 (sent at 100), 100…195 (sent at 200), 200…235 (sent once quiet, at 255).
    expect(calls.map((c) => c.at)).toEqual([100, 200, 255]);
    expect(calls.map((c) => c.size)).toEqual([20, 20, 8]);
    expect((await Promise.all(answers)).every((a) => 'admission' in a)).toBe(true);
    batcher.close();
  });

  it('sends a full batch at once, without waiting', async () => {
    const { batcher, calls, admit } = setup({ windowMs: 20, maxWaitMs: 150, maxBatch: 10 });
    const answers = Array.from({ length: 25 }, (_, i) => admit(i));
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([
      { size: 10, at: 0 },
      { size: 10, at: 0 },
    ]);
    await jest.advanceTimersByTimeAsync(20);
    expect(calls.map((c) => c.size)).toEqual([10, 10, 5]);
    expect(await Promise.all(answers)).toHaveLength(25);
    batcher.close();
  });

  it('never waits less than the window, even with a shorter maxWaitMs', async () => {
    const { batcher, calls, admit } = setup({ windowMs: 30, maxWaitMs: 10 });
    void admit(0);
    await jest.advanceTimersByTimeAsync(29);
    expect(calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{ size: 1, at: 30 }]);
    batcher.close();
  });
});
