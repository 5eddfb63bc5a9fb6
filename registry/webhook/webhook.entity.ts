import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** A partner's endpoint, told (signed) whenever the partner contract changes. */
@Entity({ tableName: 'webhook' })
export class Webhook {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The partner (name of its tokens): a rotated token keeps the partner's webhooks. */
  @Index()
  @Property({ length: 100 })
  partner!: string;

  @Property({ length: 2000 })
  url!: string;

  /**
   * HMAC key for the signature header. Kept in clear, unlike tokens: the registry signs with it
   * on every delivery, so a one-way hash would not do (Stripe and Cosmo keep theirs likewise).
   */
  @Property({ length: 100 })
  secret!: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();

  @Property({ nullable: true })
  removedAt?: Date;
}
