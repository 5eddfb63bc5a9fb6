import type { SubgraphRuntime } from '../../../platform/subgraph/host';
import { registerAnnouncementNotify } from '../announcement/announcement.consumer';
import { AnnouncementResolver } from '../announcement/announcement.resolver';
import { AnnouncementService } from '../announcement/announcement.service';
import type { MessagingConfig } from '../env';
import { NotificationService } from './notification.service';
import type { Notify } from './notify';
import { PreferenceResolver } from './preference/preference.resolver';
import { PreferenceService } from './preference/preference.service';
import { openSealer, type Sealer } from './seal';
import { TemplateResolver } from './template/template.resolver';
import { TemplateService } from './template/template.service';

export interface NotificationWiring {
  /** `notify` for every feature that notifies (conversations, the reactions): pass it to their services. */
  notify: Notify;
  /** Opens `Notification.sealed` (the delivery worker's `renderNotification(em, n, sealer)`). */
  sealer: Sealer;
  /** The feature's resolver instances (services injected). */
  resolvers: object[];
}

/**
 * The notification feature's services on the subgraph's runtime (called from app.ts's
 * wireMessaging): the sealer (its key may be generated under DATA_DIR, hence async), the one
 * NotificationService whose `notify` every other feature is handed, and the announcement
 * consumer's `notify`. (The in-app channel, in-app.adapter.ts, is made by delivery.wiring.ts with
 * the other adapters.)
 */
export async function wireNotifications({ config, orm }: SubgraphRuntime<MessagingConfig>): Promise<NotificationWiring> {
  const sealer = await openSealer(config);
  const service = new NotificationService(sealer);
  registerAnnouncementNotify(orm, service.notify);
  return {
    notify: service.notify,
    sealer,
    resolvers: [
      new TemplateResolver(new TemplateService()),
      new PreferenceResolver(new PreferenceService()),
      new AnnouncementResolver(new AnnouncementService()),
    ],
  };
}
