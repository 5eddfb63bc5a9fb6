import { Entity, Index, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../../platform/db/tenant';
import { EnumColumn } from '../../../platform/db/columns';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { SoftDeleteFilter } from './soft-delete';

export enum CourseStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(CourseStatus, {
  name: 'CourseStatus',
  valuesConfig: {
    DRAFT: { description: 'Visible to its teacher and school admins only.' },
    PUBLISHED: { description: 'Visible to the whole school; students can be enrolled.' },
    ARCHIVED: { description: 'Read-only: no new enrollments, lessons or sessions; enrolled students keep their history.' },
  },
});

/** Catalog fields partners may read (the partner contract). */
const PARTNER = '@tag(name: "partner")';

/**
 * A course of one school, taught by one teacher. Who sees and changes it is decided in
 * course.policy.ts; relations (lessons, enrollments…) resolve through the request's DataLoaders.
 * Deleting it is a soft delete (`deletedAt`, soft-delete.ts): it and everything in it disappear
 * from every view, while the rows stay for history.
 */
@Directive('@key(fields: "id")')
// Who sees a course depends on who asks (course.policy.ts); each change records course.upserted.
@Directive(cacheHint(60, 'PRIVATE'))
@ObjectType({ description: 'A course. Its catalog fields (tagged partner) are public through `catalog`.' })
@Entity()
@Index({ properties: ['schoolId', 'status'] })
@SoftDeleteFilter()
export class Course extends TenantEntity<'status'> {
  @Directive(PARTNER)
  @Field(() => ID)
  override id!: string;

  @Directive(PARTNER)
  @Directive(cacheHint(60, 'PRIVATE'))
  @Field()
  @Property({ length: 200 })
  title!: string;

  @Directive(PARTNER)
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string;

  @Directive(PARTNER)
  @Field(() => String, { nullable: true })
  @Property({ length: 100, nullable: true })
  subject?: string;

  @Directive(PARTNER)
  @Field(() => String, { nullable: true })
  @Property({ length: 50, nullable: true })
  gradeLevel?: string;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => CourseStatus)
  @EnumColumn()
  status: CourseStatus = CourseStatus.DRAFT;

  /** A user of the users subgraph; resolved there through `Course.teacher`. */
  @Index()
  @Property({ type: 'uuid' })
  teacherId!: string;

  /** Storage key of the cover image (see courseFileKey); exposed as a short-lived URL. */
  @Property({ length: 500, nullable: true })
  thumbnailKey?: string;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => Date, { nullable: true })
  @Property({ nullable: true })
  publishedAt?: Date;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field()
  override createdAt!: Date;

  /** Set when staff deleted the course (soft delete, see soft-delete.ts). */
  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;

  /** The staff member who deleted it. */
  @Property({ type: 'string', length: 64, nullable: true })
  deletedBy?: string | null;
}
