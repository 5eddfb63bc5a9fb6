import { createHash } from 'node:crypto';
import { BeforeCreate, Entity, Index, Property, Unique } from '@mikro-orm/core';
import { TenantEntity } from '../../../platform/db/tenant';

/**
 * A phone or browser of a person that takes push notifications (`registerPushDevice`): its FCM
 * registration token. A token FCM reports as unregistered is deleted by the push worker.
 */
@Entity()
@Unique({ properties: ['schoolId', 'tokenHash'] })
export class PushDevice extends TenantEntity<'lastSeenAt' | 'tokenHash'> {
  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  /**
   * SHA-256 of the token (hex): the unique key. Not the token itself: a key over 4096 characters is
   * past MySQL's index limit, and MariaDB's hash-backed "long unique" deadlocks under concurrent
   * upserts of different tokens.
   */
  @Property({ length: 64 })
  tokenHash!: string;

  /** The FCM registration token. */
  @Property({ length: 4096 })
  token!: string;

  /** `ios`, `android` or `web`. */
  @Property({ length: 16 })
  platform!: string;

  /** Rows made with `em.create` get their key here; the upsert of registerPushDevice sets it itself. */
  @BeforeCreate()
  hashToken(): void {
    this.tokenHash ??= pushTokenHash(this.token);
  }

  /** When it last registered (apps register on every start); stale tokens can be pruned by it. */
  @Property({ length: 3 })
  lastSeenAt: Date = new Date();
}

/** The unique key of a token (see PushDevice.tokenHash). */
export const pushTokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
