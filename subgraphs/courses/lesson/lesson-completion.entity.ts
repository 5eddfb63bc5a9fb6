import { Entity, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { Enrollment } from '../enrollment/enrollment.entity';
import { Lesson } from './lesson.entity';

/**
 * A student finished a lesson; at most one row per lesson and enrollment (the unique key). The
 * record of the student's progress: it stays when its lesson is deleted (hidden with it, see
 * course/soft-delete.ts) and when the enrollment is removed.
 */
@ObjectType({ description: 'A lesson a student completed, and when.' })
@Entity()
@Unique({ properties: ['enrollment', 'lesson'] })
export class LessonCompletion extends TenantOwned {
  [OptionalProps]?: 'completedAt';

  @ManyToOne(() => Enrollment, { deleteRule: 'cascade' })
  enrollment!: Enrollment;

  @ManyToOne(() => Lesson, { deleteRule: 'cascade' })
  lesson!: Lesson;

  @Field()
  @Property({ length: 3 })
  completedAt: Date = new Date();
}
