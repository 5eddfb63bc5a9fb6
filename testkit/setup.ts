import 'reflect-metadata';

// @apollo/gateway phones home and probes cloud metadata addresses unless told not to; no test
// may open a connection beyond loopback.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
process.env.LOG_LEVEL ??= 'silent';
