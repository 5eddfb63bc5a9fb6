import { execFileSync } from 'node:child_process';
import path from 'node:path';

const built = path.join(__dirname, '..', 'dist', 'gateway', 'deferred-telemetry.js');

/** Runs `script` in a fresh Node process (jest's own module loader is not Node's) and returns what it prints as JSON. */
function inFreshNode(script: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' },
  });
  return JSON.parse(out.toString()) as Record<string, unknown>;
}

const LOADED = `const loaded = (name) => Object.keys(require.cache).some((f) => f.includes('/node_modules/@opentelemetry/' + name + '/'));`;

describe("deferring @apollo/gateway's telemetry SDK (built: npm run build)", () => {
  it('keeps the SDK and cloud detectors unloaded while the gateway loads, and loads the real module on first use', () => {
    const result = inFreshNode(`
      require(${JSON.stringify(built)});
      ${LOADED}
      const { ApolloGateway } = require('@apollo/gateway');
      const before = { sdk: loaded('sdk-metrics'), exporter: loaded('exporter-metrics-otlp-http'), gcp: loaded('resource-detector-gcp') };
      // A require as the gateway's telemetry module makes it (calling its telemetry would probe cloud metadata addresses).
      const asTelemetry = require('node:module').createRequire(require.resolve('@apollo/gateway/dist/utilities/opentelemetry.js'));
      const standIn = asTelemetry('@opentelemetry/sdk-metrics');
      const stillDeferred = !loaded('sdk-metrics');
      const { MeterProvider } = standIn;
      console.log(JSON.stringify({
        gateway: typeof ApolloGateway,
        before,
        stillDeferred,
        loadedOnUse: loaded('sdk-metrics'),
        real: MeterProvider === require('@opentelemetry/sdk-metrics').MeterProvider,
        spread: Object.keys({ ...standIn }).includes('MeterProvider') && 'MeterProvider' in standIn,
      }));
    `);
    expect(result).toEqual({
      gateway: 'function',
      before: { sdk: false, exporter: false, gcp: false },
      stillDeferred: true,
      loadedOnUse: true,
      real: true,
      spread: true,
    });
  });

  it('leaves every other require of those packages alone', () => {
    const result = inFreshNode(`
      require(${JSON.stringify(built)});
      ${LOADED}
      const metrics = require('@opentelemetry/sdk-metrics');
      console.log(JSON.stringify({ loaded: loaded('sdk-metrics'), provider: typeof metrics.MeterProvider, keys: Object.keys(metrics).includes('MeterProvider') }));
    `);
    expect(result).toEqual({ loaded: true, provider: 'function', keys: true });
  });
});
