import { Entity, OptionalProps, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';
import { User } from '../user/user.entity';

/** A parent (guardian) following a student of the same school. */
@Entity()
@Unique({ properties: ['guardian', 'student'] })
export class GuardianLink extends TenantOwned {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  guardian!: User;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  student!: User;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
