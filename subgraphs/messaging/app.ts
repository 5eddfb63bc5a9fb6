import { createSubgraphService, type SubgraphRuntime, type SubgraphService } from '../../platform/subgraph/host';
import { defineSubgraph } from '../../platform/subgraph/manifest';
import type { Transport } from '../../platform/transport';
import { planBackfills } from './backfill';
import { messagingDatabase } from './database';
import { TWILIO_WEBHOOK_PATHS, wireDelivery } from './delivery/delivery.wiring';
import { MESSAGING_DEFAULT_PORT, messagingConfigFromEnv, type MessagingConfig } from './env';
import { ConversationEvents } from './conversation/conversation-events';
import { ConversationResolver } from './conversation/conversation.resolver';
import { ConversationService } from './conversation/conversation.service';
import { messaging } from './features';
import { wireNotifications } from './notification/notification.wiring';
import { reactionConsumers } from './reaction/reaction.feature';

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
      rawBodies: { paths: TWILIO_WEBHOOK_PATHS, limit: config.webhookBodyLimit },
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

async function wireMessaging(runtime: SubgraphRuntime<MessagingConfig>) {
  // notifications.notify is what conversations and the reactions notify with.
  const notifications = await wireNotifications(runtime);
  const conversations = new ConversationService(notifications.notify, new ConversationEvents(runtime.transport.bus, runtime.logger));
  // Read models new or lost: decided now, before the consumers are bound and events start to fill
  // them; asked of users and courses once they are bound (backfill.ts says why both).
  const backfills = await planBackfills({ orm: runtime.orm, logger: runtime.logger, mode: runtime.config.peopleBackfill });
  runtime.onStop('backfill requests', () => backfills.stop());
  // The reactions to other subgraphs' events notify through notifications.notify, made here.
  const reactions = reactionConsumers({ notify: notifications.notify, config: runtime.config });
  // The Twilio status route; the channel workers and the scheduler unless DELIVERY_WORKERS=off.
  const delivery = await wireDelivery(runtime, notifications.sealer);
  return {
    resolvers: [...notifications.resolvers, new ConversationResolver(conversations)],
    afterStart: () => backfills.request(),
    consumers: [...reactions, ...delivery.consumers],
  };
}
