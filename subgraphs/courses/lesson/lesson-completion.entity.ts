import { Entity, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';
import { Enrollment } from '../enrollment/enrollment.entity';
import { Lesson } from './lesson.entity';

/** A student finished a lesson; at most one row per lesson and enrollment (the unique key). */
@Entity()
@Unique({ properties: ['enrollment', 'lesson'] })
export class LessonCompletion extends TenantOwned {
  [OptionalProps]?: 'completedAt';

  @ManyToOne(() => Enrollment, { deleteRule: 'cascade' })
  enrollment!: Enrollment;

  @ManyToOne(() => Lesson, { deleteRule: 'cascade' })
  lesson!: Lesson;

  @Property({ length: 3 })
  completedAt: Date = new Date();
}
