import { Migration } from '@mikro-orm/migrations';

export class Migration20261207060321 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`attendance_fact\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`session_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`status\` varchar(16) not null, \`total_seconds\` int not null default 0, \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`attendance_fact\` add index \`attendance_fact_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`attendance_fact\` add index \`attendance_fact_session_id_index\`(\`session_id\`);`);
    this.addSql(`alter table \`attendance_fact\` add index \`attendance_fact_course_id_index\`(\`course_id\`);`);

    this.addSql(`create table \`course_fact\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`teacher_id\` varchar(36) null, \`title\` varchar(200) not null default '', \`status\` varchar(16) not null default 'DRAFT', \`deleted\` tinyint(1) not null default false, \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`course_fact\` add index \`course_fact_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`course_fact\` add index \`course_fact_teacher_id_index\`(\`teacher_id\`);`);

    this.addSql(`create table \`course_stats\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`enrolled\` int not null default 0, \`progress_sum\` double not null default 0, \`completed\` int not null default 0, \`quizzes_taken\` int not null default 0, \`quiz_score_sum\` double not null default 0, \`attendance_marks\` int not null default 0, \`attended\` int not null default 0, \`computed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`course_stats\` add index \`course_stats_school_id_index\`(\`school_id\`);`);

    this.addSql(`create table \`enrollment_fact\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`enrolled_at\` datetime(3) null, \`state\` varchar(16) not null default 'UNKNOWN', \`state_at\` datetime(3) not null, \`progress\` double not null default 0, \`progress_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`enrollment_fact\` add index \`enrollment_fact_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`enrollment_fact\` add index \`enrollment_fact_course_id_index\`(\`course_id\`);`);
    this.addSql(`alter table \`enrollment_fact\` add index \`enrollment_fact_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`enrollment_fact\` add index \`enrollment_fact_school_id_enrolled_at_index\`(\`school_id\`, \`enrolled_at\`);`);

    this.addSql(`create table \`live_session_fact\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`starts_at\` datetime(3) not null, \`starts_at_observed_at\` datetime(3) not null, \`started_at\` datetime(3) null, \`ended_at\` datetime(3) null, \`canceled_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`live_session_fact\` add index \`live_session_fact_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`live_session_fact\` add index \`live_session_fact_course_id_index\`(\`course_id\`);`);
    this.addSql(`alter table \`live_session_fact\` add index \`live_session_fact_school_id_starts_at_index\`(\`school_id\`, \`starts_at\`);`);

    this.addSql(`create table \`live_session_stats\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`peak_in_room\` int not null, \`hands_raised\` int not null, \`chat_messages\` int not null, \`poll_participation\` double null, \`participants\` int not null, \`last_event_id\` varchar(40) not null, \`computed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`live_session_stats\` add index \`live_session_stats_school_id_index\`(\`school_id\`);`);

    this.addSql(`create table \`outbox_message\` (\`id\` varchar(36) not null, \`type\` varchar(100) not null, \`version\` int not null, \`tenant_id\` varchar(36) not null, \`occurred_at\` datetime(3) not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` enum('pending', 'published') not null default 'pending', \`attempts\` int not null default 0, \`last_error\` text null, \`available_at\` datetime(3) null, \`published_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`outbox_message\` add index \`outbox_message_status_occurred_at_sequence_index\`(\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`payment_fact\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`payer_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`amount_piasters\` int not null, \`provider\` varchar(16) not null, \`paid_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`payment_fact\` add index \`payment_fact_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`payment_fact\` add index \`payment_fact_school_id_paid_at_index\`(\`school_id\`, \`paid_at\`);`);

    this.addSql(`create table \`person\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`roles\` text not null, \`active\` tinyint(1) not null default true, \`display_name\` varchar(200) null, \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`person\` add index \`person_school_id_index\`(\`school_id\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` varchar(100) not null, \`message_id\` varchar(100) not null, \`processed_at\` datetime(3) not null, primary key (\`consumer\`, \`message_id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`processed_message\` add index \`processed_message_processed_at_index\`(\`processed_at\`);`);

    this.addSql(`create table \`quiz_attempt_fact\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`quiz_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`score\` double not null, \`max_score\` double not null, \`submitted_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`quiz_attempt_fact\` add index \`quiz_attempt_fact_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`quiz_attempt_fact\` add index \`quiz_attempt_fact_course_id_index\`(\`course_id\`);`);
    this.addSql(`alter table \`quiz_attempt_fact\` add index \`quiz_attempt_fact_school_id_submitted_at_index\`(\`school_id\`, \`submitted_at\`);`);

    this.addSql(`create table \`refund_fact\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`payment_id\` varchar(36) not null, \`amount_piasters\` int not null, \`refunded_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`refund_fact\` add index \`refund_fact_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`refund_fact\` add index \`refund_fact_school_id_refunded_at_index\`(\`school_id\`, \`refunded_at\`);`);

    this.addSql(`create table \`report_job\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`requested_by\` varchar(36) not null, \`kind\` varchar(20) not null, \`scope\` varchar(20) not null, \`window_start\` datetime(3) not null, \`window_end\` datetime(3) not null, \`time_zone\` varchar(64) not null, \`locale\` varchar(2) not null, \`status\` varchar(20) not null default 'QUEUED', \`rows\` int null, \`storage_key\` varchar(400) not null, \`file_name\` varchar(200) not null, \`attempts\` int not null default 0, \`error\` varchar(500) null, \`created_at\` datetime(3) not null, \`started_at\` datetime(3) null, \`finished_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`report_job\` add index \`report_job_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`report_job\` add index \`report_job_school_id_requested_by_created_at_index\`(\`school_id\`, \`requested_by\`, \`created_at\`);`);

    this.addSql(`create table \`student_activity\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`last_active_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`student_activity\` add index \`student_activity_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`student_activity\` add index \`student_activity_course_id_index\`(\`course_id\`);`);
    this.addSql(`alter table \`student_activity\` add index \`student_activity_school_id_last_active_at_index\`(\`school_id\`, \`last_active_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`attendance_fact\`;`);

    this.addSql(`drop table if exists \`course_fact\`;`);

    this.addSql(`drop table if exists \`course_stats\`;`);

    this.addSql(`drop table if exists \`enrollment_fact\`;`);

    this.addSql(`drop table if exists \`live_session_fact\`;`);

    this.addSql(`drop table if exists \`live_session_stats\`;`);

    this.addSql(`drop table if exists \`outbox_message\`;`);

    this.addSql(`drop table if exists \`payment_fact\`;`);

    this.addSql(`drop table if exists \`person\`;`);

    this.addSql(`drop table if exists \`processed_message\`;`);

    this.addSql(`drop table if exists \`quiz_attempt_fact\`;`);

    this.addSql(`drop table if exists \`refund_fact\`;`);

    this.addSql(`drop table if exists \`report_job\`;`);

    this.addSql(`drop table if exists \`student_activity\`;`);
  }

}
