import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Locale } from '../../platform/i18n/locale';
import { translate } from '../../platform/i18n/translate';
import type { GatewayContext } from './context';

/**
 * Answers in the caller's language (GatewayContext.locale): every error message, whichever
 * subgraph wrote it, is translated here at the edge from the English the code writes
 * (platform/i18n). Codes and every other extension stay as they are: clients switch on codes.
 */
export const localizeErrors: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        const locale = contextValue.locale ?? 'en';
        response.http.headers.set('content-language', locale);
        if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
        response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({ ...e, message: translate(e.message, locale) }));
      },
    };
  },
};

/** A request-level error (raised before execution, e.g. an unknown school) in `locale`. */
export function localizeError(err: unknown, locale: Locale): unknown {
  if (!(err instanceof GraphQLError) || locale === 'en') return err;
  return new GraphQLError(translate(err.message, locale), { extensions: err.extensions });
}
