import { createSubgraphService, type SubgraphRuntime, type SubgraphService } from '../../platform/subgraph/host';
import { defineSubgraph } from '../../platform/subgraph/manifest';
import type { Transport } from '../../platform/transport';
import { messagingDatabase } from './database';
import { MESSAGING_DEFAULT_PORT, messagingConfigFromEnv, type MessagingConfig } from './env';
import { messaging } from './features';

/**
 * The messaging subgraph: conversations between families and teachers, and notifications
 * (templates, preferences, announcements) delivered over WhatsApp, SMS, email, push and in-app
 * by one worker per channel. Serves /graphql (gateway-signed calls only, and graphql-ws
 * subscriptions for the gateway) and Twilio's status callbacks at POST /webhooks/twilio/status
 * (signed by Twilio; the gateway forwards them from the public host). Consumes people, guardian
 * links, courses and enrollments as read models, and the domain events it notifies about.
 */
export function createMessagingService(config: MessagingConfig, shared?: Transport): SubgraphService {
  return createSubgraphService(
    {
      name: 'messaging',
      config,
      database: messagingDatabase,
      parts: messaging,
      subscriptions: true,
      wire: wireMessaging,
    },
    shared,
  );
}

/** The subgraph's manifest (subgraphs/catalog.ts). */
export const messagingSubgraph = defineSubgraph({
  name: 'messaging',
  defaultPort: MESSAGING_DEFAULT_PORT,
  database: messagingDatabase,
  configFromEnv: messagingConfigFromEnv,
  parts: messaging,
  createService: createMessagingService,
});

async function wireMessaging(_runtime: SubgraphRuntime<MessagingConfig>) {
  return { resolvers: [] };
}
