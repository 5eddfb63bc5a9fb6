import { Entity, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { Course } from '../course/course.entity';

@ObjectType()
@Entity()
export class Quiz extends TenantOwned {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => Course, { deleteRule: 'cascade' })
  course!: Course;

  @Field()
  @Property({ length: 200 })
  title!: string;

  @Field(() => Int, { nullable: true, description: 'Attempts allowed per student; null = unlimited.' })
  @Property({ nullable: true })
  maxAttempts?: number;

  @Field(() => Int, { nullable: true, description: 'Seconds from the start of an attempt to its deadline; null = untimed.' })
  @Property({ nullable: true })
  timeLimitSeconds?: number;

  @Field(() => Float, { nullable: true, description: "Points (out of the quiz's total) an attempt needs to pass; null = no pass mark." })
  @Property({ type: 'double', nullable: true })
  passingScore?: number;

  @Field()
  @Property({ length: 3 })
  createdAt: Date = new Date();
}
