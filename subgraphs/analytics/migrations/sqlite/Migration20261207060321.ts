import { Migration } from '@mikro-orm/migrations';

export class Migration20261207060321 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`attendance_fact\` (\`id\` text not null, \`school_id\` text not null, \`session_id\` text not null, \`course_id\` text not null, \`student_id\` text not null, \`status\` text not null, \`total_seconds\` integer not null default 0, \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`attendance_fact_school_id_index\` on \`attendance_fact\` (\`school_id\`);`);
    this.addSql(`create index \`attendance_fact_session_id_index\` on \`attendance_fact\` (\`session_id\`);`);
    this.addSql(`create index \`attendance_fact_course_id_index\` on \`attendance_fact\` (\`course_id\`);`);

    this.addSql(`create table \`course_fact\` (\`id\` text not null, \`school_id\` text not null, \`teacher_id\` text null, \`title\` text not null default '', \`status\` text not null default 'DRAFT', \`deleted\` integer not null default false, \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`course_fact_school_id_index\` on \`course_fact\` (\`school_id\`);`);
    this.addSql(`create index \`course_fact_teacher_id_index\` on \`course_fact\` (\`teacher_id\`);`);

    this.addSql(`create table \`course_stats\` (\`id\` text not null, \`school_id\` text not null, \`enrolled\` integer not null default 0, \`progress_sum\` double not null default 0, \`completed\` integer not null default 0, \`quizzes_taken\` integer not null default 0, \`quiz_score_sum\` double not null default 0, \`attendance_marks\` integer not null default 0, \`attended\` integer not null default 0, \`computed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`course_stats_school_id_index\` on \`course_stats\` (\`school_id\`);`);

    this.addSql(`create table \`enrollment_fact\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`student_id\` text not null, \`enrolled_at\` datetime null, \`state\` text not null default 'UNKNOWN', \`state_at\` datetime not null, \`progress\` double not null default 0, \`progress_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`enrollment_fact_school_id_index\` on \`enrollment_fact\` (\`school_id\`);`);
    this.addSql(`create index \`enrollment_fact_course_id_index\` on \`enrollment_fact\` (\`course_id\`);`);
    this.addSql(`create index \`enrollment_fact_student_id_index\` on \`enrollment_fact\` (\`student_id\`);`);
    this.addSql(`create index \`enrollment_fact_school_id_enrolled_at_index\` on \`enrollment_fact\` (\`school_id\`, \`enrolled_at\`);`);

    this.addSql(`create table \`live_session_fact\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`starts_at\` datetime not null, \`starts_at_observed_at\` datetime not null, \`started_at\` datetime null, \`ended_at\` datetime null, \`canceled_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`live_session_fact_school_id_index\` on \`live_session_fact\` (\`school_id\`);`);
    this.addSql(`create index \`live_session_fact_course_id_index\` on \`live_session_fact\` (\`course_id\`);`);
    this.addSql(`create index \`live_session_fact_school_id_starts_at_index\` on \`live_session_fact\` (\`school_id\`, \`starts_at\`);`);

    this.addSql(`create table \`live_session_stats\` (\`id\` text not null, \`school_id\` text not null, \`peak_in_room\` integer not null, \`hands_raised\` integer not null, \`chat_messages\` integer not null, \`poll_participation\` double null, \`participants\` integer not null, \`last_event_id\` text not null, \`computed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`live_session_stats_school_id_index\` on \`live_session_stats\` (\`school_id\`);`);

    this.addSql(`create table \`outbox_message\` (\`id\` text not null, \`type\` text not null, \`version\` integer not null, \`tenant_id\` text not null, \`occurred_at\` datetime not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` text check (\`status\` in ('pending', 'published')) not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`available_at\` datetime null, \`published_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`outbox_message_status_occurred_at_sequence_index\` on \`outbox_message\` (\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`payment_fact\` (\`id\` text not null, \`school_id\` text not null, \`payer_id\` text not null, \`student_id\` text not null, \`amount_piasters\` integer not null, \`provider\` text not null, \`paid_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`payment_fact_school_id_index\` on \`payment_fact\` (\`school_id\`);`);
    this.addSql(`create index \`payment_fact_school_id_paid_at_index\` on \`payment_fact\` (\`school_id\`, \`paid_at\`);`);

    this.addSql(`create table \`person\` (\`id\` text not null, \`school_id\` text not null, \`roles\` text not null, \`active\` integer not null default true, \`display_name\` text null, \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`person_school_id_index\` on \`person\` (\`school_id\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` text not null, \`message_id\` text not null, \`processed_at\` datetime not null, primary key (\`consumer\`, \`message_id\`));`);
    this.addSql(`create index \`processed_message_processed_at_index\` on \`processed_message\` (\`processed_at\`);`);

    this.addSql(`create table \`quiz_attempt_fact\` (\`id\` text not null, \`school_id\` text not null, \`quiz_id\` text not null, \`course_id\` text not null, \`student_id\` text not null, \`score\` double not null, \`max_score\` double not null, \`submitted_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`quiz_attempt_fact_school_id_index\` on \`quiz_attempt_fact\` (\`school_id\`);`);
    this.addSql(`create index \`quiz_attempt_fact_course_id_index\` on \`quiz_attempt_fact\` (\`course_id\`);`);
    this.addSql(`create index \`quiz_attempt_fact_school_id_submitted_at_index\` on \`quiz_attempt_fact\` (\`school_id\`, \`submitted_at\`);`);

    this.addSql(`create table \`refund_fact\` (\`id\` text not null, \`school_id\` text not null, \`payment_id\` text not null, \`amount_piasters\` integer not null, \`refunded_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`refund_fact_school_id_index\` on \`refund_fact\` (\`school_id\`);`);
    this.addSql(`create index \`refund_fact_school_id_refunded_at_index\` on \`refund_fact\` (\`school_id\`, \`refunded_at\`);`);

    this.addSql(`create table \`report_job\` (\`id\` text not null, \`school_id\` text not null, \`requested_by\` text not null, \`kind\` text not null, \`scope\` text not null, \`window_start\` datetime not null, \`window_end\` datetime not null, \`time_zone\` text not null, \`locale\` text not null, \`status\` text not null default 'QUEUED', \`rows\` integer null, \`storage_key\` text not null, \`file_name\` text not null, \`attempts\` integer not null default 0, \`error\` text null, \`created_at\` datetime not null, \`started_at\` datetime null, \`finished_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`report_job_school_id_index\` on \`report_job\` (\`school_id\`);`);
    this.addSql(`create index \`report_job_school_id_requested_by_created_at_index\` on \`report_job\` (\`school_id\`, \`requested_by\`, \`created_at\`);`);

    this.addSql(`create table \`student_activity\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`student_id\` text not null, \`last_active_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`student_activity_school_id_index\` on \`student_activity\` (\`school_id\`);`);
    this.addSql(`create index \`student_activity_course_id_index\` on \`student_activity\` (\`course_id\`);`);
    this.addSql(`create index \`student_activity_school_id_last_active_at_index\` on \`student_activity\` (\`school_id\`, \`last_active_at\`);`);
  }

}
