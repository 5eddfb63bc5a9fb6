import type { Logger } from './logger';
import { startTracing, tracingConfigFromEnv, type Tracing } from './tracing/tracing';

/** What every service's `app.ts` factory returns; tests start and stop it in-process. */
export interface Service {
  readonly name: string;
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

type Phase = 'http' | 'sockets' | 'workers' | 'data';
const ORDER: Phase[] = ['http', 'sockets', 'workers', 'data'];

/**
 * Ordered graceful shutdown: stop taking HTTP requests and let them drain, then close live
 * sockets, then background workers (they may still write), and only then the database and
 * brokers they write to. Each step is logged and one failing step does not skip the others.
 */
export class Shutdown {
  private readonly steps: Record<Phase, Array<{ what: string; fn: () => Promise<unknown> | unknown }>> = {
    http: [],
    sockets: [],
    workers: [],
    data: [],
  };

  constructor(private readonly logger: Logger) {}

  add(phase: Phase, what: string, fn: () => Promise<unknown> | unknown): void {
    this.steps[phase].push({ what, fn });
  }

  async run(): Promise<void> {
    for (const phase of ORDER) {
      // Within a phase the later-registered resource closes first (it may depend on earlier ones).
      for (const step of [...this.steps[phase]].reverse()) {
        const started = Date.now();
        try {
          await step.fn();
          this.logger.debug({ phase, step: step.what, ms: Date.now() - started }, 'shutdown step done');
        } catch (err) {
          this.logger.error({ err, phase, step: step.what }, 'shutdown step failed');
        }
      }
      this.steps[phase] = [];
    }
  }
}

/** Entry point for `index.ts`: start, then stop cleanly on SIGTERM/SIGINT (k8s sends SIGTERM). */
export async function runMain(create: () => Promise<Service> | Service, logger: Logger): Promise<void> {
  let service: Service | undefined;
  let tracing: Tracing | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await service?.stop();
    // The spans of the last requests, before the process is gone.
    await tracing?.shutdown();
    logger.flush?.();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  try {
    service = await create();
    // Off unless an OTLP endpoint is configured (platform/tracing); on before the first request.
    tracing = startTracing(tracingConfigFromEnv(service.name), logger);
    const { url } = await service.start();
    logger.info({ url }, `${service.name} listening`);
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    logger.flush?.();
    process.exit(1);
  }
}
