import { Migration } from '@mikro-orm/migrations';

export class Migration20261207030001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`announcement\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`course_id\` text not null, \`author_id\` text not null, \`template_key\` text not null, \`variables\` json not null, \`channels\` text not null, \`scheduled_at\` datetime null, \`fanned_out_at\` datetime null, \`recipient_count\` integer not null default 0, primary key (\`id\`));`);
    this.addSql(`create index \`announcement_school_id_index\` on \`announcement\` (\`school_id\`);`);
    this.addSql(`create index \`announcement_course_id_created_at_index\` on \`announcement\` (\`course_id\`, \`created_at\`);`);

    this.addSql(`create table \`contact\` (\`id\` text not null, \`school_id\` text not null, \`roles\` text not null, \`active\` integer not null default true, \`display_name\` text null, \`email\` text null, \`phone\` text null, \`locale\` text not null default 'AR', \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`contact_school_id_index\` on \`contact\` (\`school_id\`);`);

    this.addSql(`create table \`conversation\` (\`id\` text not null, \`school_id\` text not null, \`subject\` text not null, \`student_id\` text null, \`created_by\` text not null, \`created_at\` datetime not null, \`last_message_at\` datetime not null, \`last_message_id\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`conversation_school_id_index\` on \`conversation\` (\`school_id\`);`);
    this.addSql(`create index \`conversation_school_id_last_message_at_id_index\` on \`conversation\` (\`school_id\`, \`last_message_at\`, \`id\`);`);

    this.addSql(`create table \`conversation_participant\` (\`id\` text not null, \`school_id\` text not null, \`conversation_id\` text not null, \`user_id\` text not null, \`joined_at\` datetime not null, \`position\` integer not null, \`last_read_at\` datetime null, \`last_read_message_id\` text null, constraint \`conversation_participant_conversation_id_foreign\` foreign key(\`conversation_id\`) references \`conversation\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`conversation_participant_school_id_index\` on \`conversation_participant\` (\`school_id\`);`);
    this.addSql(`create index \`conversation_participant_conversation_id_index\` on \`conversation_participant\` (\`conversation_id\`);`);
    this.addSql(`create index \`conversation_participant_user_id_index\` on \`conversation_participant\` (\`user_id\`);`);
    this.addSql(`create unique index \`conversation_participant_conversation_id_user_id_unique\` on \`conversation_participant\` (\`conversation_id\`, \`user_id\`);`);

    this.addSql(`create table \`course_enrollment\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`student_id\` text not null, \`active\` integer not null default true, \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`course_enrollment_school_id_index\` on \`course_enrollment\` (\`school_id\`);`);
    this.addSql(`create index \`course_enrollment_student_id_index\` on \`course_enrollment\` (\`student_id\`);`);
    this.addSql(`create index \`course_enrollment_course_id_active_index\` on \`course_enrollment\` (\`course_id\`, \`active\`);`);

    this.addSql(`create table \`course_info\` (\`id\` text not null, \`school_id\` text not null, \`title\` text not null, \`teacher_id\` text not null, \`status\` text not null, \`deleted_at\` datetime null, \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`course_info_school_id_index\` on \`course_info\` (\`school_id\`);`);
    this.addSql(`create index \`course_info_teacher_id_index\` on \`course_info\` (\`teacher_id\`);`);

    this.addSql(`create table \`guardian_link\` (\`id\` text not null, \`school_id\` text not null, \`guardian_id\` text not null, \`student_id\` text not null, \`linked_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`guardian_link_school_id_index\` on \`guardian_link\` (\`school_id\`);`);
    this.addSql(`create index \`guardian_link_guardian_id_index\` on \`guardian_link\` (\`guardian_id\`);`);
    this.addSql(`create index \`guardian_link_student_id_index\` on \`guardian_link\` (\`student_id\`);`);
    this.addSql(`create unique index \`guardian_link_guardian_id_student_id_unique\` on \`guardian_link\` (\`guardian_id\`, \`student_id\`);`);

    this.addSql(`create table \`live_session_info\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`title\` text null, \`starts_at\` datetime null, \`started_at\` datetime null, \`canceled_at\` datetime null, \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`live_session_info_school_id_index\` on \`live_session_info\` (\`school_id\`);`);

    this.addSql(`create table \`message\` (\`id\` text not null, \`school_id\` text not null, \`conversation_id\` text not null, \`sender_id\` text not null, \`body\` text not null, \`sent_at\` datetime not null, \`event_id\` text null, constraint \`message_conversation_id_foreign\` foreign key(\`conversation_id\`) references \`conversation\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`message_school_id_index\` on \`message\` (\`school_id\`);`);
    this.addSql(`create index \`message_conversation_id_index\` on \`message\` (\`conversation_id\`);`);
    this.addSql(`create index \`message_conversation_id_sent_at_id_index\` on \`message\` (\`conversation_id\`, \`sent_at\`, \`id\`);`);

    this.addSql(`create table \`notification\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`recipient_id\` text null, \`category\` text not null, \`template_key\` text not null, \`channel\` text not null, \`locale\` text not null, \`address\` text null, \`variables\` json null, \`sealed\` text null, \`title\` text null, \`body\` text null, \`status\` text not null default 'QUEUED', \`attempts\` integer not null default 0, \`scheduled_at\` datetime null, \`digest\` text null, \`sent_at\` datetime null, \`delivered_at\` datetime null, \`read_at\` datetime null, \`error\` text null, \`provider_message_id\` text null, \`sending_key\` text null, \`claimed_at\` datetime null, \`unsettled_since\` datetime null, \`status_checked_at\` datetime null, \`announcement_id\` text null, \`dedupe_key\` text not null, primary key (\`id\`));`);
    this.addSql(`create index \`notification_school_id_index\` on \`notification\` (\`school_id\`);`);
    this.addSql(`create index \`notification_provider_message_id_index\` on \`notification\` (\`provider_message_id\`);`);
    this.addSql(`create index \`notification_announcement_id_index\` on \`notification\` (\`announcement_id\`);`);
    this.addSql(`create index \`notification_recipient_id_created_at_index\` on \`notification\` (\`recipient_id\`, \`created_at\`);`);
    this.addSql(`create index \`notification_status_scheduled_at_index\` on \`notification\` (\`status\`, \`scheduled_at\`);`);
    this.addSql(`create unique index \`notification_school_id_dedupe_key_unique\` on \`notification\` (\`school_id\`, \`dedupe_key\`);`);

    this.addSql(`create table \`notification_preference\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`user_id\` text not null, \`category\` text not null, \`channels\` text not null, \`frequency\` text not null default 'IMMEDIATELY', primary key (\`id\`));`);
    this.addSql(`create index \`notification_preference_school_id_index\` on \`notification_preference\` (\`school_id\`);`);
    this.addSql(`create unique index \`notification_preference_school_id_user_id_category_unique\` on \`notification_preference\` (\`school_id\`, \`user_id\`, \`category\`);`);

    this.addSql(`create table \`notification_template\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`key\` text not null, \`channel_key\` text not null, \`locale\` text not null, \`subject\` text not null, \`text\` text not null, \`html\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`notification_template_school_id_index\` on \`notification_template\` (\`school_id\`);`);
    this.addSql(`create unique index \`notification_template_school_id_key_channel_key_locale_unique\` on \`notification_template\` (\`school_id\`, \`key\`, \`channel_key\`, \`locale\`);`);

    this.addSql(`create table \`outbox_message\` (\`id\` text not null, \`type\` text not null, \`version\` integer not null, \`tenant_id\` text not null, \`occurred_at\` datetime not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` text check (\`status\` in ('pending', 'published')) not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`available_at\` datetime null, \`published_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`outbox_message_status_occurred_at_sequence_index\` on \`outbox_message\` (\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` text not null, \`message_id\` text not null, \`processed_at\` datetime not null, primary key (\`consumer\`, \`message_id\`));`);
    this.addSql(`create index \`processed_message_processed_at_index\` on \`processed_message\` (\`processed_at\`);`);

    this.addSql(`create table \`push_device\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`user_id\` text not null, \`token_hash\` text not null, \`token\` text not null, \`platform\` text not null, \`last_seen_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`push_device_school_id_index\` on \`push_device\` (\`school_id\`);`);
    this.addSql(`create index \`push_device_user_id_index\` on \`push_device\` (\`user_id\`);`);
    this.addSql(`create unique index \`push_device_school_id_token_hash_unique\` on \`push_device\` (\`school_id\`, \`token_hash\`);`);
  }

}
