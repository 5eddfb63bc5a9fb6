import { Entity, ManyToOne, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwned } from '../../../platform/db/tenant';
import { EnumColumn } from '../../../platform/db/columns';
import { LiveSession } from './live-session.entity';

export enum AttendanceStatus {
  PRESENT = 'PRESENT',
  LATE = 'LATE',
  ABSENT = 'ABSENT',
  EXCUSED = 'EXCUSED',
}
registerEnumType(AttendanceStatus, {
  name: 'AttendanceStatus',
  valuesConfig: {
    PRESENT: { description: 'First joined within the grace period after the start (attendance.rules.ts).' },
    LATE: { description: 'First joined after the grace period.' },
    ABSENT: { description: 'Enrolled but never joined; filled in when the session ends.' },
    EXCUSED: { description: 'Set by the teacher or a school admin; kept whatever happens later.' },
  },
});

/** One enrolled student's attendance of one live session (rules in attendance.rules.ts). */
@ObjectType()
@Entity()
@Unique({ properties: ['session', 'studentId'] })
export class Attendance extends TenantOwned {
  [OptionalProps]?: 'totalSeconds' | 'updatedAt';

  @ManyToOne(() => LiveSession, { deleteRule: 'cascade' })
  session!: LiveSession;

  @Property({ type: 'uuid' })
  studentId!: string;

  @Field(() => AttendanceStatus)
  @EnumColumn()
  status!: AttendanceStatus;

  @Field(() => Date, { nullable: true })
  @Property({ length: 3, nullable: true })
  firstJoinedAt?: Date;

  /** Start of the current stay in the room; null while the student is out. */
  @Property({ length: 3, nullable: true })
  joinedAt?: Date;

  /** Closed stays only; the resolver adds the current one. */
  @Property()
  totalSeconds: number = 0;

  @Property({ length: 3, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
