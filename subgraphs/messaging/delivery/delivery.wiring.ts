import { periodic } from '../../../platform/jobs';
import type { SubgraphRuntime } from '../../../platform/subgraph/host';
import type { ConsumerDefinition } from '../../../platform/subgraph/feature';
import type { ChannelAdapter } from '../channels/channel';
import { closeChannels, createChannels } from '../channels/channels';
import type { MessagingConfig } from '../env';
import { createInAppAdapter } from '../notification/in-app.adapter';
import { Channel } from '../notification/notification.entity';
import type { Sealer } from '../notification/seal';
import { renderNotification } from '../notification/template/render';
import { deliveryConsumers } from './delivery.worker';
import { startScheduler } from './scheduler';
import { pollStatuses } from './status-poll';
import { TWILIO_WEBHOOK_PATHS, twilioStatusRoutes } from './twilio-status.routes';

export { TWILIO_WEBHOOK_PATHS };

/**
 * Delivery on the subgraph's runtime (called from app.ts `wireMessaging`): Twilio's status
 * callback route, and, unless DELIVERY_WORKERS=off (an API-only replica), the channel workers
 * (returned for the host to bind: they need the adapters, which a feature's static consumer
 * cannot have) and the scheduler. The adapters are the configured providers' (channels.ts,
 * closed with the data at stop, after the workers) and the in-app one. A channel with no adapter
 * fails its notifications ("channel not configured"). `sealer` opens the sealed secrets
 * (notification.wiring.ts).
 */
export async function wireDelivery(
  { config, orm, logger, app, transport, registry, onStop }: SubgraphRuntime<MessagingConfig>,
  sealer: Sealer,
): Promise<{ consumers: ConsumerDefinition[] }> {
  app.use(twilioStatusRoutes({ orm, logger, config }));
  if (!config.delivery.workers) return { consumers: [] };

  const channels = createChannels(config, logger);
  onStop('messaging channels', () => closeChannels(channels));
  const byChannel: Partial<Record<Channel, ChannelAdapter>> = { [Channel.IN_APP]: createInAppAdapter(orm, transport.bus) };
  for (const [channel, adapter] of channels) byChannel[channel as Channel] = adapter;
  const render = (
    em: Parameters<typeof renderNotification>[0],
    n: Parameters<typeof renderNotification>[1],
    secrets: Record<string, string>,
  ) => renderNotification(em, n, secrets);

  const scheduler = startScheduler({ orm, logger, inDoubtMs: config.delivery.inDoubtMs, intervalMs: config.sweepIntervalMs, render });
  onStop('messaging scheduler', () => scheduler.stop());
  // Reports whose callback was lost (this service was down): asked at the provider, on the same beat.
  const statuses = periodic(
    'message status poll',
    config.sweepIntervalMs,
    () => pollStatuses({ orm, logger, adapters: byChannel, afterMs: config.delivery.statusPollAfterMs }).then(() => undefined),
    logger,
  );
  onStop('message status poll', () => statuses.stop());
  return {
    consumers: deliveryConsumers({
      delivery: config.delivery,
      adapters: byChannel,
      render,
      unseal: (sealed) => sealer.unseal(sealed),
      whatsappTemplates: config.twilio?.whatsappTemplates,
      logger,
      registry,
    }),
  };
}
