import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Logger } from '../../platform/logger';
import { sha256 } from '../../platform/secrets';
import { fieldCoordinates } from './field-coordinates';
import { UsageReporter, type UsageReporterOptions } from './usage-reporter';

export interface UsageReportingOptions extends UsageReporterOptions {
  /** Share of operations counted, 0..1; default 1 (every operation). */
  sampleRate?: number;
}

/** One executed operation, as the reporting needs it. */
export interface ExecutedOperation {
  /** The schema it validated against. */
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  /** SHA-256 (hex) of the query text: Apollo Server's `queryHash`. */
  queryHash: string;
  /** `apollographql-client-name` of the caller, if it sent one. */
  client?: string | null;
  /** The partner of an API-key call: reported as the client, and recorded by the registry whatever its window. */
  partner?: string;
}

export interface UsageReporting {
  /** Counts the operations Apollo Server executes (queries and mutations over HTTP). */
  plugin: ApolloServerPlugin;
  /** Counts an operation served elsewhere, e.g. a subscription over WebSocket (sampled like the rest). */
  record(op: ExecutedOperation): void;
}

/**
 * Reports to the registry which schema coordinates executed operations use, so its checks know
 * what removing a field would break. An operation counts once it validated against the schema
 * it ran on; its coordinates are computed once per report, not per request. The reporter is
 * flushed when Apollo Server stops.
 */
export function usageReporting(opts: UsageReportingOptions, logger: Logger): UsageReporting {
  const reporter = new UsageReporter(opts, logger);
  const rate = opts.sampleRate ?? 1;
  const count = (op: ExecutedOperation) =>
    reporter.record({
      id: sha256(`${op.queryHash}\n${op.operationName ?? ''}`),
      name: op.operationName ?? null,
      client: op.partner ?? (op.client?.slice(0, 100) || 'unknown'),
      partner: op.partner,
      fields: () => fieldCoordinates(op.schema, op.document, op.operationName),
    });
  return {
    record(op) {
      if (Math.random() < rate) count(op);
    },
    plugin: {
      async serverWillStart() {
        return {
          async serverWillStop() {
            await reporter.stop();
          },
        };
      },
      async requestDidStart({ contextValue }) {
        // Every partner operation counts, sampled or not: checks protect what partners run.
        const partner = (contextValue as { partner?: { name: string } }).partner?.name;
        if (!partner && Math.random() >= rate) return;
        return {
          async willSendResponse({ document, operation, operationName, queryHash, schema, request }) {
            if (!document || !operation) return;
            count({ schema, document, operationName, queryHash, client: request.http?.headers.get('apollographql-client-name'), partner });
          },
        };
      },
    },
  };
}
