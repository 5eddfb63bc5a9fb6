import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../../platform/db/tenant';
import { EnumColumn } from '../../../platform/db/columns';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { Course } from '../course/course.entity';
import { SoftDeleteFilter } from '../course/soft-delete';

export enum LessonKind {
  VIDEO = 'VIDEO',
  DOCUMENT = 'DOCUMENT',
  TEXT = 'TEXT',
}
registerEnumType(LessonKind, { name: 'LessonKind' });

/**
 * One step of a course. VIDEO and DOCUMENT lessons carry an uploaded file (fileKey), TEXT
 * lessons their text (content). Content and file are only shown to those who may study the
 * course (lesson.resolver.ts). Deleting it is a soft delete (`deletedAt`, course/soft-delete.ts):
 * it leaves every view and the progress of the course, while its completions stay stored.
 */
@Directive(cacheHint(60, 'PRIVATE'))
@ObjectType()
@Entity()
@Index({ properties: ['course', 'position'] })
@SoftDeleteFilter()
export class Lesson extends TenantEntity {
  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => Course, { deleteRule: 'cascade' })
  course!: Course;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field()
  @Property({ length: 200 })
  title!: string;

  /** 1-based order within the course; kept dense by addLesson, reorderLessons and deleteLesson (a deleted lesson keeps its last). */
  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => Int)
  @Property()
  position!: number;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => LessonKind)
  @EnumColumn()
  kind!: LessonKind;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => Int, { nullable: true })
  @Property({ nullable: true })
  durationSeconds?: number;

  /** The text of a TEXT lesson (Markdown); an optional note for the others. */
  @Property({ type: 'text', nullable: true })
  content?: string;

  /** Storage key of the attached video or document, once its upload was confirmed. */
  @Property({ length: 500, nullable: true })
  fileKey?: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 255, nullable: true })
  fileName?: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 100, nullable: true })
  fileContentType?: string;

  @Field(() => Int, { nullable: true })
  @Property({ nullable: true })
  fileSizeBytes?: number;

  @Field(() => Date, { nullable: true, description: 'When staff deleted it; deleted lessons only appear in history (includeDeleted).' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;

  /** The staff member who deleted it. */
  @Property({ type: 'string', length: 64, nullable: true })
  deletedBy?: string | null;
}
