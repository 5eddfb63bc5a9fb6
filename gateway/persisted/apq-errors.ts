import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../platform/errors';
import { message } from '../../platform/i18n/message';

/**
 * Apollo Server's APQ protocol refusals that carry no code (it sets HTTP 400 only). Without one,
 * formatError would mask them as INTERNAL_SERVER_ERROR; they are the client's mistake.
 */
const PROTOCOL_REFUSALS = new Set([
  // Apollo's wording, marked so that they are translated (platform/i18n/ar/persisted.ts).
  message('provided sha does not match query'),
  message('Unsupported persisted query version'),
]);

/** Gives those refusals the BAD_REQUEST code before they are formatted. */
export const apqRefusalCodes: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const err of errors) {
          // `extensions` is the object Apollo built for this error alone: safe to complete.
          if (err.extensions.code === undefined && PROTOCOL_REFUSALS.has(err.message)) {
            (err.extensions as Record<string, unknown>).code = ErrorCode.BAD_REQUEST;
          }
        }
      },
    };
  },
};
