/** @type {import('jest').Config} */
const swc = ['@swc/jest', { sourceMaps: 'inline' }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  // jose 6 ships ESM only; let swc turn it into CommonJS for jest. The OTLP exporter loads
  // node:http with import(), which jest's CommonJS sandbox refuses: swc makes it a require.
  transformIgnorePatterns: ['/node_modules/(?!jose/|@opentelemetry/)'],
  setupFiles: ['<rootDir>/testkit/setup.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
module.exports = {
  testTimeout: 60_000,
  // One test file at a time (they share the machine's MariaDB, Redis and RabbitMQ and time out under
  // contention), in a worker that is replaced once it holds more than this after a file: every file
  // loads the whole platform afresh, and what global registries (type-graphql, MikroORM, prom-client)
  // keep of each adds up past the default heap over ~100 files. A memory limit makes jest use a
  // worker even for one.
  maxWorkers: 1,
  workerIdleMemoryLimit: '1500MB',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.e2e.ts'] },
  ],
};
