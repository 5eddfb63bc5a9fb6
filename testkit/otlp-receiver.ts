import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as an OTLP/HTTP JSON export carries it, with its resource's service and its scope. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a trace's root. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  service: string;
  scope: string;
  attributes: Record<string, string | number | boolean>;
}

export const SpanKinds = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: traces are POSTed to `<it>/v1/traces`. */
  url: string;
  spans: ReceivedSpan[];
  /** Every POST received, whatever its path. */
  posts: number;
  /** Answers every further export with this status (and `Location`, for a redirect). */
  answerWith(status: number, location?: string): void;
  close(): Promise<void>;
}

/** Ids are hex in OTLP JSON; base64 (protobuf-JSON mapping) is accepted too. */
const hex = (id: unknown) =>
  typeof id !== 'string' || /^[0-9a-f]*$/.test(id) ? String(id ?? '') : Buffer.from(id, 'base64').toString('hex');

function valueOf(v: Record<string, unknown>): string | number | boolean {
  if ('stringValue' in v) return v.stringValue as string;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('boolValue' in v) return Boolean(v.boolValue);
  return JSON.stringify(v);
}

/** A stand-in OpenTelemetry collector on loopback: OTLP/HTTP with JSON bodies (what our exporter sends). */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  let answer = { status: 200, location: undefined as string | undefined };
  const receiver = {
    url: '',
    spans,
    posts: 0,
    answerWith(status: number, location?: string) {
      answer = { status, location };
    },
    /** Stops listening and cuts the exporter's keep-alive connections: the collector is gone. */
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.posts += 1;
      if (answer.status !== 200) {
        res.writeHead(answer.status, answer.location ? { location: answer.location } : {}).end();
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const parsed = JSON.parse(body.toString('utf8')) as { resourceSpans?: any[] };
      for (const rs of parsed.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value?.stringValue ?? '';
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              traceId: hex(s.traceId),
              spanId: hex(s.spanId),
              parentSpanId: hex(s.parentSpanId),
              name: s.name,
              kind: s.kind,
              service,
              scope: ss.scope?.name ?? '',
              attributes: Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, valueOf(a.value)])),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
