import type { ApolloServerPlugin } from '@apollo/server';

/**
 * The gateway's own answers say `Cache-Control: no-store`, whatever its subgraphs said.
 * Apollo Server's cache-control plugin (installed by default) would otherwise pass the subgraphs'
 * hints on to clients (`max-age=60, public` for a query of hinted fields): but every answer
 * depends on the caller's school and token, which a browser or CDN cache does not key on, and a
 * client cache would keep an answer past the event that changed it. Reuse is the gateway cache's
 * business only (README: "TTLs"). Set before Apollo's plugin looks (it keeps an existing
 * `no-store`), and set again after it if it comes first.
 */
export const clientCacheControl: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};
