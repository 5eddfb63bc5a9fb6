import { Migration } from '@mikro-orm/migrations';

export class Migration20261125213226 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`course\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`title\` varchar(200) not null, \`description\` text null, \`subject\` varchar(100) null, \`grade_level\` varchar(50) null, \`status\` varchar(20) not null default 'DRAFT', \`teacher_id\` varchar(36) not null, \`thumbnail_key\` varchar(500) null, \`published_at\` datetime null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`course\` add index \`course_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`course\` add index \`course_teacher_id_index\`(\`teacher_id\`);`);
    this.addSql(`alter table \`course\` add index \`course_school_id_status_index\`(\`school_id\`, \`status\`);`);

    this.addSql(`create table \`enrollment\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`status\` varchar(20) not null default 'ACTIVE', \`source\` varchar(20) not null default 'STAFF', \`source_ref\` varchar(64) null, \`completed_at\` datetime null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`enrollment\` add index \`enrollment_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`enrollment\` add index \`enrollment_course_id_index\`(\`course_id\`);`);
    this.addSql(`alter table \`enrollment\` add index \`enrollment_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`enrollment\` add unique \`enrollment_course_id_student_id_unique\`(\`course_id\`, \`student_id\`);`);

    this.addSql(`create table \`guardian_link\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`guardian_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`linked_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_guardian_id_index\`(\`guardian_id\`);`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`guardian_link\` add unique \`guardian_link_guardian_id_student_id_unique\`(\`guardian_id\`, \`student_id\`);`);

    this.addSql(`create table \`lesson\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`title\` varchar(200) not null, \`position\` int not null, \`kind\` varchar(20) not null, \`duration_seconds\` int null, \`content\` text null, \`file_key\` varchar(500) null, \`file_name\` varchar(255) null, \`file_content_type\` varchar(100) null, \`file_size_bytes\` int null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`lesson\` add index \`lesson_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`lesson\` add index \`lesson_course_id_index\`(\`course_id\`);`);
    this.addSql(`alter table \`lesson\` add index \`lesson_course_id_position_index\`(\`course_id\`, \`position\`);`);

    this.addSql(`create table \`lesson_completion\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`enrollment_id\` varchar(36) not null, \`lesson_id\` varchar(36) not null, \`completed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`lesson_completion\` add index \`lesson_completion_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`lesson_completion\` add index \`lesson_completion_enrollment_id_index\`(\`enrollment_id\`);`);
    this.addSql(`alter table \`lesson_completion\` add index \`lesson_completion_lesson_id_index\`(\`lesson_id\`);`);
    this.addSql(`alter table \`lesson_completion\` add unique \`lesson_completion_enrollment_id_lesson_id_unique\`(\`enrollment_id\`, \`lesson_id\`);`);

    this.addSql(`create table \`live_session\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`title\` varchar(200) not null, \`starts_at\` datetime(3) not null, \`ends_at\` datetime(3) null, \`status\` varchar(20) not null default 'SCHEDULED', \`started_at\` datetime(3) null, \`ended_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`live_session\` add index \`live_session_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`live_session\` add index \`live_session_course_id_index\`(\`course_id\`);`);
    this.addSql(`alter table \`live_session\` add index \`live_session_course_id_starts_at_index\`(\`course_id\`, \`starts_at\`);`);

    this.addSql(`create table \`attendance\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`session_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`status\` varchar(20) not null, \`first_joined_at\` datetime(3) null, \`joined_at\` datetime(3) null, \`total_seconds\` int not null default 0, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`attendance\` add index \`attendance_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`attendance\` add index \`attendance_session_id_index\`(\`session_id\`);`);
    this.addSql(`alter table \`attendance\` add unique \`attendance_session_id_student_id_unique\`(\`session_id\`, \`student_id\`);`);

    this.addSql(`create table \`outbox_message\` (\`id\` varchar(36) not null, \`type\` varchar(100) not null, \`version\` int not null, \`tenant_id\` varchar(36) not null, \`occurred_at\` datetime(3) not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` enum('pending', 'published') not null default 'pending', \`attempts\` int not null default 0, \`last_error\` text null, \`available_at\` datetime(3) null, \`published_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`outbox_message\` add index \`outbox_message_status_occurred_at_sequence_index\`(\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`poll\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`session_id\` varchar(36) not null, \`question\` varchar(500) not null, \`options\` text not null, \`created_by_id\` varchar(36) not null, \`closed_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`poll\` add index \`poll_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`poll\` add index \`poll_session_id_index\`(\`session_id\`);`);

    this.addSql(`create table \`poll_vote\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`poll_id\` varchar(36) not null, \`voter_id\` varchar(36) not null, \`option\` int not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`poll_vote\` add index \`poll_vote_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`poll_vote\` add index \`poll_vote_poll_id_index\`(\`poll_id\`);`);
    this.addSql(`alter table \`poll_vote\` add unique \`poll_vote_poll_id_voter_id_unique\`(\`poll_id\`, \`voter_id\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` varchar(100) not null, \`message_id\` varchar(100) not null, \`processed_at\` datetime(3) not null, primary key (\`consumer\`, \`message_id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`quiz\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`title\` varchar(200) not null, \`max_attempts\` int null, \`time_limit_seconds\` int null, \`passing_score\` double null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`quiz\` add index \`quiz_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`quiz\` add index \`quiz_course_id_index\`(\`course_id\`);`);

    this.addSql(`create table \`question\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`quiz_id\` varchar(36) not null, \`position\` int not null, \`kind\` varchar(20) not null, \`prompt\` text not null, \`options\` text null, \`points\` double not null default 1, \`correct_choices\` text null, \`correct_boolean\` tinyint(1) null, \`correct_number\` double null, \`tolerance\` double null, \`accepted_answers\` text null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`question\` add index \`question_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`question\` add index \`question_quiz_id_index\`(\`quiz_id\`);`);

    this.addSql(`create table \`quiz_attempt\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`quiz_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`number\` int not null, \`started_at\` datetime(3) not null, \`deadline\` datetime(3) null, \`submitted_at\` datetime(3) null, \`score\` double null, \`max_score\` double not null, \`passed\` tinyint(1) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`quiz_attempt\` add index \`quiz_attempt_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`quiz_attempt\` add index \`quiz_attempt_quiz_id_index\`(\`quiz_id\`);`);
    this.addSql(`alter table \`quiz_attempt\` add index \`quiz_attempt_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`quiz_attempt\` add unique \`quiz_attempt_quiz_id_student_id_number_unique\`(\`quiz_id\`, \`student_id\`, \`number\`);`);

    this.addSql(`create table \`quiz_answer\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`attempt_id\` varchar(36) not null, \`question_id\` varchar(36) not null, \`choices\` text null, \`boolean_value\` tinyint(1) null, \`numeric_value\` double null, \`text\` varchar(500) null, \`correct\` tinyint(1) not null, \`points_awarded\` double not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`quiz_answer\` add index \`quiz_answer_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`quiz_answer\` add index \`quiz_answer_attempt_id_index\`(\`attempt_id\`);`);
    this.addSql(`alter table \`quiz_answer\` add index \`quiz_answer_question_id_index\`(\`question_id\`);`);
    this.addSql(`alter table \`quiz_answer\` add unique \`quiz_answer_attempt_id_question_id_unique\`(\`attempt_id\`, \`question_id\`);`);

    this.addSql(`alter table \`enrollment\` add constraint \`enrollment_course_id_foreign\` foreign key (\`course_id\`) references \`course\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`lesson\` add constraint \`lesson_course_id_foreign\` foreign key (\`course_id\`) references \`course\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`lesson_completion\` add constraint \`lesson_completion_enrollment_id_foreign\` foreign key (\`enrollment_id\`) references \`enrollment\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`lesson_completion\` add constraint \`lesson_completion_lesson_id_foreign\` foreign key (\`lesson_id\`) references \`lesson\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`live_session\` add constraint \`live_session_course_id_foreign\` foreign key (\`course_id\`) references \`course\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`attendance\` add constraint \`attendance_session_id_foreign\` foreign key (\`session_id\`) references \`live_session\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`poll\` add constraint \`poll_session_id_foreign\` foreign key (\`session_id\`) references \`live_session\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`poll_vote\` add constraint \`poll_vote_poll_id_foreign\` foreign key (\`poll_id\`) references \`poll\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`quiz\` add constraint \`quiz_course_id_foreign\` foreign key (\`course_id\`) references \`course\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`question\` add constraint \`question_quiz_id_foreign\` foreign key (\`quiz_id\`) references \`quiz\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`quiz_attempt\` add constraint \`quiz_attempt_quiz_id_foreign\` foreign key (\`quiz_id\`) references \`quiz\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`quiz_answer\` add constraint \`quiz_answer_attempt_id_foreign\` foreign key (\`attempt_id\`) references \`quiz_attempt\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`quiz_answer\` add constraint \`quiz_answer_question_id_foreign\` foreign key (\`question_id\`) references \`question\` (\`id\`) on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`enrollment\` drop foreign key \`enrollment_course_id_foreign\`;`);

    this.addSql(`alter table \`lesson\` drop foreign key \`lesson_course_id_foreign\`;`);

    this.addSql(`alter table \`live_session\` drop foreign key \`live_session_course_id_foreign\`;`);

    this.addSql(`alter table \`quiz\` drop foreign key \`quiz_course_id_foreign\`;`);

    this.addSql(`alter table \`lesson_completion\` drop foreign key \`lesson_completion_enrollment_id_foreign\`;`);

    this.addSql(`alter table \`lesson_completion\` drop foreign key \`lesson_completion_lesson_id_foreign\`;`);

    this.addSql(`alter table \`attendance\` drop foreign key \`attendance_session_id_foreign\`;`);

    this.addSql(`alter table \`poll\` drop foreign key \`poll_session_id_foreign\`;`);

    this.addSql(`alter table \`poll_vote\` drop foreign key \`poll_vote_poll_id_foreign\`;`);

    this.addSql(`alter table \`question\` drop foreign key \`question_quiz_id_foreign\`;`);

    this.addSql(`alter table \`quiz_attempt\` drop foreign key \`quiz_attempt_quiz_id_foreign\`;`);

    this.addSql(`alter table \`quiz_answer\` drop foreign key \`quiz_answer_question_id_foreign\`;`);

    this.addSql(`alter table \`quiz_answer\` drop foreign key \`quiz_answer_attempt_id_foreign\`;`);

    this.addSql(`drop table if exists \`course\`;`);

    this.addSql(`drop table if exists \`enrollment\`;`);

    this.addSql(`drop table if exists \`guardian_link\`;`);

    this.addSql(`drop table if exists \`lesson\`;`);

    this.addSql(`drop table if exists \`lesson_completion\`;`);

    this.addSql(`drop table if exists \`live_session\`;`);

    this.addSql(`drop table if exists \`attendance\`;`);

    this.addSql(`drop table if exists \`outbox_message\`;`);

    this.addSql(`drop table if exists \`poll\`;`);

    this.addSql(`drop table if exists \`poll_vote\`;`);

    this.addSql(`drop table if exists \`processed_message\`;`);

    this.addSql(`drop table if exists \`quiz\`;`);

    this.addSql(`drop table if exists \`question\`;`);

    this.addSql(`drop table if exists \`quiz_attempt\`;`);

    this.addSql(`drop table if exists \`quiz_answer\`;`);
  }

}
