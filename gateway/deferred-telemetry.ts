import Module from 'node:module';

/**
 * `@apollo/gateway` 2.14 requires, as it loads, the OpenTelemetry SDK of its usage telemetry to
 * Apollo: sdk-metrics, the OTLP metrics exporter and the resource detectors of five clouds (with
 * their HTTP clients): about 630 modules and 22–30 MB of memory, a tenth of what the gateway holds
 * with 10,000 subscribers. They serve only that telemetry, which the gateway turns off by default
 * (APOLLO_TELEMETRY_DISABLED, README). Imported first by app.ts, this makes each of those requires
 * made by the gateway's telemetry module return a stand-in that loads the real module on first
 * use, so a gateway with the telemetry turned back on works as before; every other require of
 * the same packages (our own tracing's included) is untouched.
 */
const TELEMETRY_MODULE = /[\\/]@apollo[\\/]gateway[\\/]dist[\\/]utilities[\\/]opentelemetry\.js$/;
const DEFERRED = /^@opentelemetry\/(sdk-metrics|exporter-metrics-otlp-http|resource-detector-[a-z-]+)$/;

type Load = (request: string, parent: { filename?: string | null } | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load; deferredTelemetry?: true };

if (!loader.deferredTelemetry) {
  loader.deferredTelemetry = true;
  const load = loader._load;
  loader._load = function (this: unknown, request, parent, isMain) {
    if (!DEFERRED.test(request) || !TELEMETRY_MODULE.test(parent?.filename ?? '')) return load.call(this, request, parent, isMain);
    let real: object | undefined;
    const module = () => (real ??= load.call(this, request, parent, isMain) as object);
    return new Proxy(
      {},
      {
        get: (_target, key) => Reflect.get(module(), key),
        has: (_target, key) => Reflect.has(module(), key),
        ownKeys: () => Reflect.ownKeys(module()),
        // The stand-in has none of these itself, so each is reported configurable (a Proxy invariant).
        getOwnPropertyDescriptor: (_target, key) => {
          const descriptor = Reflect.getOwnPropertyDescriptor(module(), key);
          return descriptor && { ...descriptor, configurable: true };
        },
      },
    );
  };
}
