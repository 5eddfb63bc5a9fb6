/**
 * The spans our own code makes (everything else comes from `@apollo/gateway`): a server span per
 * HTTP request, a producer span per outbox publish, a consumer span per broker delivery. Each is
 * called only once `tracingOn()` said yes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { contextFrom, contextFromTraceParent } from './propagation';
import { tracerOf } from './tracing';

// Stable HTTP semantic conventions (the names @opentelemetry/semantic-conventions exports), written
// out: that package's index is several hundred KB of constants, loaded in every process.
const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
const ATTR_HTTP_ROUTE = 'http.route';
const ATTR_URL_PATH = 'url.path';

/** Messaging attributes (OpenTelemetry semantic conventions, still "incubating" there). */
export const MessagingAttributes = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operation: 'messaging.operation.type',
  messageId: 'messaging.message.id',
  consumerGroup: 'messaging.consumer.group.name',
  deliveryAttempt: 'messaging.delivery.attempt',
} as const;

/**
 * Runs `next` inside a server span for one HTTP request, named `<method> <route>` once the
 * route is known. `continueTrace`: the request's own `traceparent` is the span's parent (a
 * subgraph called by the gateway); otherwise every request starts its own trace (the public
 * edge: a client does not choose our traces, nor their sampling).
 */
export function traceHttpRequest(
  service: string,
  req: IncomingMessage & { method: string },
  res: ServerResponse,
  path: string,
  routeOf: () => string,
  continueTrace: boolean,
  next: () => void,
): void {
  const parent = continueTrace ? contextFrom(req.headers) : ROOT_CONTEXT;
  const span = tracerOf(service).startSpan(
    req.method,
    { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: path } },
    parent,
  );
  let ended = false;
  const end = (aborted: boolean) => {
    if (ended) return;
    ended = true;
    const route = routeOf();
    span.updateName(`${req.method} ${route}`);
    span.setAttributes({ [ATTR_HTTP_ROUTE]: route, [ATTR_HTTP_RESPONSE_STATUS_CODE]: res.statusCode });
    if (aborted) span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before the answer ended' });
    else if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', () => end(false));
  res.once('close', () => end(!res.writableFinished));
  context.with(trace.setSpan(parent, span), next);
}

/** Runs `fn` in a span of the given kind under `parent`, ending it with `fn`'s outcome. */
export async function inSpan<T>(
  scope: string,
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const span = tracerOf(scope).startSpan(name, { kind, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
    throw err;
  } finally {
    span.end();
  }
}

/**
 * One delivery of a broker message, as a consumer span continuing the trace its publisher put
 * in the message headers (a retry is another span of the same trace).
 */
export function consumeInSpan<M extends { id: string; routingKey: string; headers: Record<string, string>; attempt: number }>(
  system: string,
  queue: string,
  message: M,
  handler: (message: M) => Promise<void>,
): Promise<void> {
  return inSpan(
    'broker',
    `${queue} process`,
    SpanKind.CONSUMER,
    contextFrom(message.headers),
    {
      [MessagingAttributes.system]: system,
      [MessagingAttributes.operation]: 'process',
      [MessagingAttributes.destination]: message.routingKey,
      [MessagingAttributes.consumerGroup]: queue,
      [MessagingAttributes.messageId]: message.id,
      [MessagingAttributes.deliveryAttempt]: message.attempt,
    },
    () => handler(message),
  );
}

/**
 * One process's delivery of a live bus event to its local subscribers, as a consumer span under
 * the publisher's span (one per event and process, not per subscriber: a classroom has thousands).
 * Work the subscribers start from here (the gateway resolving the event) continues inside it.
 */
export function deliverInSpan(topic: string, event: { id: string; traceParent?: string }, deliver: () => void): void {
  const parent = contextFromTraceParent(event.traceParent);
  const span = tracerOf('event-bus').startSpan(
    'bus deliver',
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [MessagingAttributes.system]: 'event-bus',
        [MessagingAttributes.operation]: 'process',
        [MessagingAttributes.destination]: topic,
        [MessagingAttributes.messageId]: event.id,
      },
    },
    parent,
  );
  try {
    context.with(trace.setSpan(parent, span), deliver);
  } finally {
    span.end();
  }
}
