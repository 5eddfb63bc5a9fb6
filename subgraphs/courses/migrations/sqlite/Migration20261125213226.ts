import { Migration } from '@mikro-orm/migrations';

export class Migration20261125213226 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`course\` (\`id\` text not null, \`school_id\` text not null, \`title\` text not null, \`description\` text null, \`subject\` text null, \`grade_level\` text null, \`status\` text not null default 'DRAFT', \`teacher_id\` text not null, \`thumbnail_key\` text null, \`published_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`course_school_id_index\` on \`course\` (\`school_id\`);`);
    this.addSql(`create index \`course_teacher_id_index\` on \`course\` (\`teacher_id\`);`);
    this.addSql(`create index \`course_school_id_status_index\` on \`course\` (\`school_id\`, \`status\`);`);

    this.addSql(`create table \`enrollment\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`student_id\` text not null, \`status\` text not null default 'ACTIVE', \`source\` text not null default 'STAFF', \`source_ref\` text null, \`completed_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`enrollment_course_id_foreign\` foreign key(\`course_id\`) references \`course\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`enrollment_school_id_index\` on \`enrollment\` (\`school_id\`);`);
    this.addSql(`create index \`enrollment_course_id_index\` on \`enrollment\` (\`course_id\`);`);
    this.addSql(`create index \`enrollment_student_id_index\` on \`enrollment\` (\`student_id\`);`);
    this.addSql(`create unique index \`enrollment_course_id_student_id_unique\` on \`enrollment\` (\`course_id\`, \`student_id\`);`);

    this.addSql(`create table \`guardian_link\` (\`id\` text not null, \`school_id\` text not null, \`guardian_id\` text not null, \`student_id\` text not null, \`linked_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`guardian_link_school_id_index\` on \`guardian_link\` (\`school_id\`);`);
    this.addSql(`create index \`guardian_link_guardian_id_index\` on \`guardian_link\` (\`guardian_id\`);`);
    this.addSql(`create index \`guardian_link_student_id_index\` on \`guardian_link\` (\`student_id\`);`);
    this.addSql(`create unique index \`guardian_link_guardian_id_student_id_unique\` on \`guardian_link\` (\`guardian_id\`, \`student_id\`);`);

    this.addSql(`create table \`lesson\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`title\` text not null, \`position\` integer not null, \`kind\` text not null, \`duration_seconds\` integer null, \`content\` text null, \`file_key\` text null, \`file_name\` text null, \`file_content_type\` text null, \`file_size_bytes\` integer null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`lesson_course_id_foreign\` foreign key(\`course_id\`) references \`course\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`lesson_school_id_index\` on \`lesson\` (\`school_id\`);`);
    this.addSql(`create index \`lesson_course_id_index\` on \`lesson\` (\`course_id\`);`);
    this.addSql(`create index \`lesson_course_id_position_index\` on \`lesson\` (\`course_id\`, \`position\`);`);

    this.addSql(`create table \`lesson_completion\` (\`id\` text not null, \`school_id\` text not null, \`enrollment_id\` text not null, \`lesson_id\` text not null, \`completed_at\` datetime not null, constraint \`lesson_completion_enrollment_id_foreign\` foreign key(\`enrollment_id\`) references \`enrollment\`(\`id\`) on delete cascade on update cascade, constraint \`lesson_completion_lesson_id_foreign\` foreign key(\`lesson_id\`) references \`lesson\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`lesson_completion_school_id_index\` on \`lesson_completion\` (\`school_id\`);`);
    this.addSql(`create index \`lesson_completion_enrollment_id_index\` on \`lesson_completion\` (\`enrollment_id\`);`);
    this.addSql(`create index \`lesson_completion_lesson_id_index\` on \`lesson_completion\` (\`lesson_id\`);`);
    this.addSql(`create unique index \`lesson_completion_enrollment_id_lesson_id_unique\` on \`lesson_completion\` (\`enrollment_id\`, \`lesson_id\`);`);

    this.addSql(`create table \`live_session\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`title\` text not null, \`starts_at\` datetime not null, \`ends_at\` datetime null, \`status\` text not null default 'SCHEDULED', \`started_at\` datetime null, \`ended_at\` datetime null, \`created_at\` datetime not null, constraint \`live_session_course_id_foreign\` foreign key(\`course_id\`) references \`course\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`live_session_school_id_index\` on \`live_session\` (\`school_id\`);`);
    this.addSql(`create index \`live_session_course_id_index\` on \`live_session\` (\`course_id\`);`);
    this.addSql(`create index \`live_session_course_id_starts_at_index\` on \`live_session\` (\`course_id\`, \`starts_at\`);`);

    this.addSql(`create table \`attendance\` (\`id\` text not null, \`school_id\` text not null, \`session_id\` text not null, \`student_id\` text not null, \`status\` text not null, \`first_joined_at\` datetime null, \`joined_at\` datetime null, \`total_seconds\` integer not null default 0, \`updated_at\` datetime not null, constraint \`attendance_session_id_foreign\` foreign key(\`session_id\`) references \`live_session\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`attendance_school_id_index\` on \`attendance\` (\`school_id\`);`);
    this.addSql(`create index \`attendance_session_id_index\` on \`attendance\` (\`session_id\`);`);
    this.addSql(`create unique index \`attendance_session_id_student_id_unique\` on \`attendance\` (\`session_id\`, \`student_id\`);`);

    this.addSql(`create table \`outbox_message\` (\`id\` text not null, \`type\` text not null, \`version\` integer not null, \`tenant_id\` text not null, \`occurred_at\` datetime not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` text check (\`status\` in ('pending', 'published')) not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`available_at\` datetime null, \`published_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`outbox_message_status_occurred_at_sequence_index\` on \`outbox_message\` (\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`poll\` (\`id\` text not null, \`school_id\` text not null, \`session_id\` text not null, \`question\` text not null, \`options\` text not null, \`created_by_id\` text not null, \`closed_at\` datetime null, \`created_at\` datetime not null, constraint \`poll_session_id_foreign\` foreign key(\`session_id\`) references \`live_session\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`poll_school_id_index\` on \`poll\` (\`school_id\`);`);
    this.addSql(`create index \`poll_session_id_index\` on \`poll\` (\`session_id\`);`);

    this.addSql(`create table \`poll_vote\` (\`id\` text not null, \`school_id\` text not null, \`poll_id\` text not null, \`voter_id\` text not null, \`option\` integer not null, \`created_at\` datetime not null, constraint \`poll_vote_poll_id_foreign\` foreign key(\`poll_id\`) references \`poll\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`poll_vote_school_id_index\` on \`poll_vote\` (\`school_id\`);`);
    this.addSql(`create index \`poll_vote_poll_id_index\` on \`poll_vote\` (\`poll_id\`);`);
    this.addSql(`create unique index \`poll_vote_poll_id_voter_id_unique\` on \`poll_vote\` (\`poll_id\`, \`voter_id\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` text not null, \`message_id\` text not null, \`processed_at\` datetime not null, primary key (\`consumer\`, \`message_id\`));`);

    this.addSql(`create table \`quiz\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`title\` text not null, \`max_attempts\` integer null, \`time_limit_seconds\` integer null, \`passing_score\` double null, \`created_at\` datetime not null, constraint \`quiz_course_id_foreign\` foreign key(\`course_id\`) references \`course\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`quiz_school_id_index\` on \`quiz\` (\`school_id\`);`);
    this.addSql(`create index \`quiz_course_id_index\` on \`quiz\` (\`course_id\`);`);

    this.addSql(`create table \`question\` (\`id\` text not null, \`school_id\` text not null, \`quiz_id\` text not null, \`position\` integer not null, \`kind\` text not null, \`prompt\` text not null, \`options\` text null, \`points\` double not null default 1, \`correct_choices\` text null, \`correct_boolean\` integer null, \`correct_number\` double null, \`tolerance\` double null, \`accepted_answers\` text null, constraint \`question_quiz_id_foreign\` foreign key(\`quiz_id\`) references \`quiz\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`question_school_id_index\` on \`question\` (\`school_id\`);`);
    this.addSql(`create index \`question_quiz_id_index\` on \`question\` (\`quiz_id\`);`);

    this.addSql(`create table \`quiz_attempt\` (\`id\` text not null, \`school_id\` text not null, \`quiz_id\` text not null, \`student_id\` text not null, \`number\` integer not null, \`started_at\` datetime not null, \`deadline\` datetime null, \`submitted_at\` datetime null, \`score\` double null, \`max_score\` double not null, \`passed\` integer null, constraint \`quiz_attempt_quiz_id_foreign\` foreign key(\`quiz_id\`) references \`quiz\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`quiz_attempt_school_id_index\` on \`quiz_attempt\` (\`school_id\`);`);
    this.addSql(`create index \`quiz_attempt_quiz_id_index\` on \`quiz_attempt\` (\`quiz_id\`);`);
    this.addSql(`create index \`quiz_attempt_student_id_index\` on \`quiz_attempt\` (\`student_id\`);`);
    this.addSql(`create unique index \`quiz_attempt_quiz_id_student_id_number_unique\` on \`quiz_attempt\` (\`quiz_id\`, \`student_id\`, \`number\`);`);

    this.addSql(`create table \`quiz_answer\` (\`id\` text not null, \`school_id\` text not null, \`attempt_id\` text not null, \`question_id\` text not null, \`choices\` text null, \`boolean_value\` integer null, \`numeric_value\` double null, \`text\` text null, \`correct\` integer not null, \`points_awarded\` double not null, constraint \`quiz_answer_attempt_id_foreign\` foreign key(\`attempt_id\`) references \`quiz_attempt\`(\`id\`) on delete cascade on update cascade, constraint \`quiz_answer_question_id_foreign\` foreign key(\`question_id\`) references \`question\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`quiz_answer_school_id_index\` on \`quiz_answer\` (\`school_id\`);`);
    this.addSql(`create index \`quiz_answer_attempt_id_index\` on \`quiz_answer\` (\`attempt_id\`);`);
    this.addSql(`create index \`quiz_answer_question_id_index\` on \`quiz_answer\` (\`question_id\`);`);
    this.addSql(`create unique index \`quiz_answer_attempt_id_question_id_unique\` on \`quiz_answer\` (\`attempt_id\`, \`question_id\`);`);
  }

}
