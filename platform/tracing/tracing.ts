/**
 * OpenTelemetry tracing, off by default. When an OTLP endpoint is configured, `startTracing`
 * registers the process's tracer provider (batching OTLP/HTTP JSON exporter to that endpoint
 * only), the AsyncLocalStorage context manager and the W3C trace-context propagator. Until then
 * nothing is registered: `@apollo/gateway`'s own spans (gateway.request, gateway.plan,
 * gateway.fetch, …) stay no-ops, and our hooks stop at the `tracingOn()` check.
 *
 * One provider per process: under `npm start` every service shares it (each names its spans'
 * instrumentation scope after itself), in production each process has its own.
 */
import { context, diag, DiagLogLevel, propagation, trace, type Tracer } from '@opentelemetry/api';
import { z } from 'zod';
import { parseEnv, tracingEnv } from '../env';
import type { Logger } from '../logger';

export interface TracingConfig {
  /** Where spans are POSTed (OTLP/HTTP, JSON): the only address the exporter ever calls. */
  endpoint: string;
  /** The resource's `service.name`. */
  serviceName: string;
  /** Share of new traces recorded, 0..1 (parent-based: a continued trace follows its parent). */
  sampleRatio: number;
  /** Spans queued for export at most; more are dropped while the collector is slow or away. Default 2048. */
  maxQueueSize?: number;
  /** Pause between two exports. Default 5000 ms. */
  exportDelayMs?: number;
}

/**
 * The tracing settings of `env` (tracingEnv in platform/env.ts), or undefined when tracing is off:
 * no endpoint configured, or OTEL_SDK_DISABLED. Invalid settings end the process like any other.
 */
export function tracingConfigFromEnv(
  serviceName: string,
  env: Record<string, string | undefined> = process.env,
  opts: { exit?: boolean } = {},
): TracingConfig | undefined {
  const e = parseEnv(z.object(tracingEnv), env, opts);
  if (e.OTEL_SDK_DISABLED) return undefined;
  const endpoint =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!endpoint) return undefined;
  return { endpoint, serviceName: e.OTEL_SERVICE_NAME ?? serviceName, sampleRatio: e.TRACE_SAMPLE_RATIO };
}

export interface Tracing {
  readonly config: TracingConfig;
  /** Exports every span ended so far (tests; before a planned exit). */
  flush(): Promise<void>;
  /** Flushes, then unregisters everything: the process is back to no tracing at all. */
  shutdown(): Promise<void>;
}

let current: Tracing | undefined;

/** True once a tracer provider is registered: the one check every hook makes first. */
export function tracingOn(): boolean {
  return current !== undefined;
}

/** Spans of one service (or platform part): its name is their instrumentation scope. */
export function tracerOf(scope: string): Tracer {
  return trace.getTracer(scope);
}

/**
 * Registers tracing for the process, or returns the registration already made (embedded mode
 * starts every service in one process; the first caller's settings hold). Undefined config: off.
 */
export function startTracing(config: TracingConfig | undefined, logger: Logger): Tracing | undefined {
  if (!config) return undefined;
  if (current) return current;
  // The exporter's failures (collector down, refused) reach the service's log, not stdout.
  diag.setLogger(
    {
      error: (message, ...args) => logger.warn({ args }, `tracing: ${message}`),
      warn: (message, ...args) => logger.warn({ args }, `tracing: ${message}`),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const { OTLPTraceExporter, AsyncLocalStorageContextManager, W3CTraceContextPropagator, ATTR_SERVICE_NAME, ...sdk } = loadSdk();
  const { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } = sdk;
  const { detectResources, envDetector, resourceFromAttributes } = sdk;
  const exporter = new OTLPTraceExporter({ url: config.endpoint });
  const provider = new BasicTracerProvider({
    resource: detectResources({ detectors: [envDetector] }).merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName })),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        maxQueueSize: config.maxQueueSize ?? 2048,
        scheduledDelayMillis: config.exportDelayMs ?? 5_000,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  logger.info({ endpoint: config.endpoint, serviceName: config.serviceName, sampleRatio: config.sampleRatio }, 'tracing on');

  const registration: Tracing = {
    config,
    // An export that failed (collector down) is logged by the exporter; the caller goes on.
    flush: () => provider.forceFlush().catch((err: unknown) => logger.warn({ err }, 'tracing: export failed')),
    async shutdown() {
      if (current !== registration) return;
      current = undefined;
      await provider.shutdown().catch((err: unknown) => logger.warn({ err }, 'tracing: shutdown failed'));
      trace.disable();
      propagation.disable();
      context.disable();
      diag.disable();
    },
  };
  current = registration;
  return registration;
}

/**
 * The SDK, loaded only when tracing is turned on: every service imports this module, and the
 * exporter, SDK and semantic conventions would otherwise be loaded (several MB of code and
 * strings in each process) to stay unused in the default, untraced setup.
 */
function loadSdk() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks')),
    ...(require('@opentelemetry/core') as Pick<typeof import('@opentelemetry/core'), 'W3CTraceContextPropagator'>),
    ...(require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')),
    ...(require('@opentelemetry/resources') as typeof import('@opentelemetry/resources')),
    ...(require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base')),
    ATTR_SERVICE_NAME: 'service.name' as const,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
