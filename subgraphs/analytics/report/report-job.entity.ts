import { Entity, Index, OptionalProps, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EnumColumn } from '../../../platform/db/columns';
import { TenantOwned } from '../../../platform/db/tenant';
import type { Locale } from '../../../platform/i18n/locale';

export enum ReportKind {
  ENROLLMENTS = 'ENROLLMENTS',
  ATTENDANCE = 'ATTENDANCE',
  QUIZ_RESULTS = 'QUIZ_RESULTS',
  PAYMENTS = 'PAYMENTS',
}
registerEnumType(ReportKind, {
  name: 'ReportKind',
  description: 'What a report export lists, each over its window [from, to).',
  valuesConfig: {
    ENROLLMENTS: { description: 'Enrollments made in the window (by enrolledAt), with their state and progress now.' },
    ATTENDANCE: { description: "Attendance of the live sessions planned to start in the window (by the session's startsAt)." },
    QUIZ_RESULTS: { description: 'Graded quiz attempts submitted in the window.' },
    PAYMENTS: { description: 'Confirmed payments and refunds made in the window, refunds as negative rows. School admins only.' },
  },
});

export enum ReportJobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(ReportJobStatus, {
  name: 'ReportJobStatus',
  description: 'Where a report export stands.',
  valuesConfig: {
    QUEUED: { description: 'Waiting for the report worker (also between two attempts after a failure: see `error`).' },
    RUNNING: { description: 'Being written.' },
    SUCCEEDED: { description: 'Written: `downloadUrl` serves the file.' },
    FAILED: { description: 'Given up after its retries: `error` says why. Ask for a new one.' },
  },
});

/** Which rows a job covers, decided when it is asked for: the whole school (admins) or the requester's courses (a teacher). */
export type ReportScope = 'SCHOOL' | 'TEACHER';

/**
 * A report export someone asked for (`exportReport`): recorded with its `report.requested` job in
 * one transaction, written to file storage as a CSV by the report worker (report.worker.ts). The
 * row is the truth of the job: the worker reads what to write from it and records the outcome in
 * it, so a redelivered message finds the job done and does nothing.
 */
@ObjectType('ReportJob', { description: 'A report export: queued, written by a worker, then downloaded.' })
@Entity()
@Index({ properties: ['schoolId', 'requestedBy', 'createdAt'] })
export class ReportJob extends TenantOwned {
  [OptionalProps]?: 'status' | 'attempts' | 'createdAt';

  @Field(() => ID)
  declare id: string;

  /** Who asked; only they see the job. */
  @Property({ type: 'uuid' })
  requestedBy!: string;

  @Field(() => ReportKind)
  @EnumColumn()
  kind!: ReportKind;

  /** The rows the requester may see, as of the request (report-rows.ts). */
  @EnumColumn()
  scope!: ReportScope;

  @Field(() => Date, { name: 'from', description: 'Start of the window (included).' })
  @Property({ length: 3 })
  windowStart!: Date;

  @Field(() => Date, { name: 'to', description: 'End of the window (excluded).' })
  @Property({ length: 3 })
  windowEnd!: Date;

  /** IANA zone the file's times are written in (the school's, as the request carried it). */
  @Property({ length: 64 })
  timeZone!: string;

  /** Language of the file's header row (`ar`, `en`): the requester's. */
  @Property({ length: 2 })
  locale!: Locale;

  @Field(() => ReportJobStatus)
  @EnumColumn()
  status: ReportJobStatus = ReportJobStatus.QUEUED;

  @Field(() => Int, { nullable: true, description: 'Data rows in the file (the header row not counted); null until SUCCEEDED.' })
  @Property({ nullable: true })
  rows?: number;

  /** Where the file is written: the same key on every run of the job (storage keys.ts `reportFileKey`). */
  @Property({ length: 400 })
  storageKey!: string;

  /** The name the file downloads under. */
  @Property({ length: 200 })
  fileName!: string;

  /** Runs started (a run after a crash or a failure counts). */
  @Property()
  attempts: number = 0;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last attempt failed, for people: final when FAILED; while QUEUED the job is tried again. Null otherwise.',
  })
  @Property({ length: 500, nullable: true })
  error?: string | null;

  @Field()
  @Property({ length: 3 })
  createdAt: Date = new Date();

  /** When the current (or last) run began. */
  @Property({ length: 3, nullable: true })
  startedAt?: Date;

  @Field({ nullable: true, description: 'When it SUCCEEDED or FAILED; null before.' })
  @Property({ length: 3, nullable: true })
  finishedAt?: Date;
}
