import { Entity, Index, Property, Unique } from '@mikro-orm/core';
import { TenantEntity } from '../../../platform/db/tenant';

/**
 * A phone or browser of a person that takes push notifications (`registerPushDevice`): its FCM
 * registration token. A token FCM reports as unregistered is deleted by the push worker.
 */
@Entity()
@Unique({ properties: ['schoolId', 'token'] })
export class PushDevice extends TenantEntity<'lastSeenAt'> {
  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  /** The FCM registration token. */
  @Property({ length: 4096 })
  token!: string;

  /** `ios`, `android` or `web`. */
  @Property({ length: 16 })
  platform!: string;

  /** When it last registered (apps register on every start); stale tokens can be pruned by it. */
  @Property({ length: 3 })
  lastSeenAt: Date = new Date();
}
