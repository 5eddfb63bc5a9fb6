/**
 * Trace context across process boundaries, in W3C Trace Context form (`traceparent`): HTTP
 * headers of the gateway's subgraph calls, broker message headers, and the outbox row that waits
 * between a request and its relay. Each helper costs one `tracingOn()` check while tracing is off.
 */
import { context, propagation, ROOT_CONTEXT, trace, type Context, type TextMapSetter } from '@opentelemetry/api';
import { tracingOn } from './tracing';

/** The W3C header (and broker message header) that carries the trace context. */
export const TRACEPARENT = 'traceparent';

/** Adds the active span's context to outgoing headers (a plain record, changed in place). */
export function injectTraceHeaders(headers: Record<string, string>): void {
  if (!tracingOn()) return;
  propagation.inject(context.active(), headers);
}

const callSetter: TextMapSetter<(name: string, value: string) => void> = { set: (setHeader, name, value) => setHeader(name, value) };

/** The same, through a header setter (a fetch `Headers` object's `set`). */
export function injectTraceContext(setHeader: (name: string, value: string) => void): void {
  if (!tracingOn()) return;
  propagation.inject(context.active(), setHeader, callSetter);
}

/** `headers`, or a copy with the active span's context added when tracing is on and a span is active. */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  if (!tracingOn() || !trace.getSpan(context.active())) return headers;
  const out = { ...headers };
  propagation.inject(context.active(), out);
  return out;
}

/** The active span's `traceparent`, to be stored with something that continues the trace later (an outbox row). */
export function activeTraceParent(): string | undefined {
  if (!tracingOn()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[TRACEPARENT];
}

/** The context a stored or received trace context continues (the root context when there is none). */
export function contextFrom(carrier: Record<string, string | string[] | undefined> | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

/** The same, for a `traceparent` stored on its own. */
export function contextFromTraceParent(traceParent: string | null | undefined): Context {
  return traceParent ? propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceParent }) : ROOT_CONTEXT;
}
