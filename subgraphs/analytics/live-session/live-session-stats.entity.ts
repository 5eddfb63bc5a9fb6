import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * The final classroom figures of an ended live session (`id` = courses' session id), counted from
 * its classroom stream while it ran (live-counters.ts) and saved at its end, so that
 * `LiveSession.analytics` still answers once the stream is trimmed or gone.
 */
@Entity()
export class LiveSessionStats extends TenantOwned {
  [OptionalProps]?: 'pollParticipation' | 'computedAt';

  @Property()
  peakInRoom!: number;

  @Property()
  handsRaised!: number;

  @Property()
  chatMessages!: number;

  /** Null when the session had no poll. */
  @Property({ type: 'double', nullable: true })
  pollParticipation?: number | null;

  /** People who joined at least once. */
  @Property()
  participants!: number;

  /** The last classroom event counted. */
  @Property({ length: 40 })
  lastEventId!: string;

  @Property({ length: 3 })
  computedAt: Date = new Date();
}
