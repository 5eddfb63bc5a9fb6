import { Migration } from '@mikro-orm/migrations';

export class Migration20261207030001 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`announcement\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`author_id\` varchar(36) not null, \`template_key\` varchar(100) not null, \`variables\` json not null, \`channels\` text not null, \`scheduled_at\` datetime(3) null, \`fanned_out_at\` datetime(3) null, \`recipient_count\` int not null default 0, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`announcement\` add index \`announcement_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`announcement\` add index \`announcement_course_id_created_at_index\`(\`course_id\`, \`created_at\`);`);

    this.addSql(`create table \`contact\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`roles\` text not null, \`active\` tinyint(1) not null default true, \`display_name\` varchar(200) null, \`email\` varchar(320) null, \`phone\` varchar(32) null, \`locale\` varchar(2) not null default 'AR', \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`contact\` add index \`contact_school_id_index\`(\`school_id\`);`);

    this.addSql(`create table \`conversation\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`subject\` varchar(200) not null, \`student_id\` varchar(36) null, \`created_by\` varchar(36) not null, \`created_at\` datetime(3) not null, \`last_message_at\` datetime(3) not null, \`last_message_id\` varchar(36) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`conversation\` add index \`conversation_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`conversation\` add index \`conversation_school_id_last_message_at_id_index\`(\`school_id\`, \`last_message_at\`, \`id\`);`);

    this.addSql(`create table \`conversation_participant\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`conversation_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`joined_at\` datetime(3) not null, \`position\` int not null, \`last_read_at\` datetime(3) null, \`last_read_message_id\` varchar(36) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`conversation_participant\` add index \`conversation_participant_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`conversation_participant\` add index \`conversation_participant_conversation_id_index\`(\`conversation_id\`);`);
    this.addSql(`alter table \`conversation_participant\` add index \`conversation_participant_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`conversation_participant\` add unique \`conversation_participant_conversation_id_user_id_unique\`(\`conversation_id\`, \`user_id\`);`);

    this.addSql(`create table \`course_enrollment\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`active\` tinyint(1) not null default true, \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`course_enrollment\` add index \`course_enrollment_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`course_enrollment\` add index \`course_enrollment_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`course_enrollment\` add index \`course_enrollment_course_id_active_index\`(\`course_id\`, \`active\`);`);

    this.addSql(`create table \`course_info\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`title\` varchar(200) not null, \`teacher_id\` varchar(36) not null, \`status\` varchar(16) not null, \`deleted_at\` datetime(3) null, \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`course_info\` add index \`course_info_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`course_info\` add index \`course_info_teacher_id_index\`(\`teacher_id\`);`);

    this.addSql(`create table \`guardian_link\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`guardian_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`linked_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_guardian_id_index\`(\`guardian_id\`);`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`guardian_link\` add unique \`guardian_link_guardian_id_student_id_unique\`(\`guardian_id\`, \`student_id\`);`);

    this.addSql(`create table \`live_session_info\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`title\` varchar(200) null, \`starts_at\` datetime(3) null, \`started_at\` datetime(3) null, \`canceled_at\` datetime(3) null, \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`live_session_info\` add index \`live_session_info_school_id_index\`(\`school_id\`);`);

    this.addSql(`create table \`message\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`conversation_id\` varchar(36) not null, \`sender_id\` varchar(36) not null, \`body\` text not null, \`sent_at\` datetime(3) not null, \`event_id\` varchar(48) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`message\` add index \`message_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`message\` add index \`message_conversation_id_index\`(\`conversation_id\`);`);
    this.addSql(`alter table \`message\` add index \`message_conversation_id_sent_at_id_index\`(\`conversation_id\`, \`sent_at\`, \`id\`);`);

    this.addSql(`create table \`notification\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`recipient_id\` varchar(36) null, \`category\` varchar(64) not null, \`template_key\` varchar(100) not null, \`channel\` varchar(20) not null, \`locale\` varchar(2) not null, \`address\` varchar(400) null, \`variables\` json null, \`sealed\` text null, \`title\` varchar(300) null, \`body\` text null, \`status\` varchar(20) not null default 'QUEUED', \`attempts\` int not null default 0, \`scheduled_at\` datetime(3) null, \`digest\` varchar(8) null, \`sent_at\` datetime(3) null, \`delivered_at\` datetime(3) null, \`read_at\` datetime(3) null, \`error\` varchar(1000) null, \`provider_message_id\` varchar(200) null, \`sending_key\` varchar(100) null, \`claimed_at\` datetime(3) null, \`unsettled_since\` datetime(3) null, \`status_checked_at\` datetime(3) null, \`announcement_id\` varchar(36) null, \`dedupe_key\` varchar(250) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`notification\` add index \`notification_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`notification\` add index \`notification_provider_message_id_index\`(\`provider_message_id\`);`);
    this.addSql(`alter table \`notification\` add index \`notification_announcement_id_index\`(\`announcement_id\`);`);
    this.addSql(`alter table \`notification\` add index \`notification_recipient_id_created_at_index\`(\`recipient_id\`, \`created_at\`);`);
    this.addSql(`alter table \`notification\` add index \`notification_status_scheduled_at_index\`(\`status\`, \`scheduled_at\`);`);
    this.addSql(`alter table \`notification\` add unique \`notification_school_id_dedupe_key_unique\`(\`school_id\`, \`dedupe_key\`);`);

    this.addSql(`create table \`notification_preference\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`category\` varchar(64) not null, \`channels\` text not null, \`frequency\` varchar(20) not null default 'IMMEDIATELY', primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`notification_preference\` add index \`notification_preference_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`notification_preference\` add unique \`notification_preference_school_id_user_id_category_unique\`(\`school_id\`, \`user_id\`, \`category\`);`);

    this.addSql(`create table \`notification_template\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`key\` varchar(100) not null, \`channel_key\` varchar(20) not null, \`locale\` varchar(2) not null, \`subject\` varchar(200) not null, \`text\` text not null, \`html\` text null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`notification_template\` add index \`notification_template_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`notification_template\` add unique \`notification_template_school_id_key_channel_key_locale_unique\`(\`school_id\`, \`key\`, \`channel_key\`, \`locale\`);`);

    this.addSql(`create table \`outbox_message\` (\`id\` varchar(36) not null, \`type\` varchar(100) not null, \`version\` int not null, \`tenant_id\` varchar(36) not null, \`occurred_at\` datetime(3) not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` enum('pending', 'published') not null default 'pending', \`attempts\` int not null default 0, \`last_error\` text null, \`available_at\` datetime(3) null, \`published_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`outbox_message\` add index \`outbox_message_status_occurred_at_sequence_index\`(\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` varchar(100) not null, \`message_id\` varchar(100) not null, \`processed_at\` datetime(3) not null, primary key (\`consumer\`, \`message_id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`processed_message\` add index \`processed_message_processed_at_index\`(\`processed_at\`);`);

    this.addSql(`create table \`push_device\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`token_hash\` varchar(64) not null, \`token\` varchar(4096) not null, \`platform\` varchar(16) not null, \`last_seen_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`push_device\` add index \`push_device_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`push_device\` add index \`push_device_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`push_device\` add unique \`push_device_school_id_token_hash_unique\`(\`school_id\`, \`token_hash\`);`);

    this.addSql(`alter table \`conversation_participant\` add constraint \`conversation_participant_conversation_id_foreign\` foreign key (\`conversation_id\`) references \`conversation\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`message\` add constraint \`message_conversation_id_foreign\` foreign key (\`conversation_id\`) references \`conversation\` (\`id\`) on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`conversation_participant\` drop foreign key \`conversation_participant_conversation_id_foreign\`;`);

    this.addSql(`alter table \`message\` drop foreign key \`message_conversation_id_foreign\`;`);

    this.addSql(`drop table if exists \`announcement\`;`);

    this.addSql(`drop table if exists \`contact\`;`);

    this.addSql(`drop table if exists \`conversation\`;`);

    this.addSql(`drop table if exists \`conversation_participant\`;`);

    this.addSql(`drop table if exists \`course_enrollment\`;`);

    this.addSql(`drop table if exists \`course_info\`;`);

    this.addSql(`drop table if exists \`guardian_link\`;`);

    this.addSql(`drop table if exists \`live_session_info\`;`);

    this.addSql(`drop table if exists \`message\`;`);

    this.addSql(`drop table if exists \`notification\`;`);

    this.addSql(`drop table if exists \`notification_preference\`;`);

    this.addSql(`drop table if exists \`notification_template\`;`);

    this.addSql(`drop table if exists \`outbox_message\`;`);

    this.addSql(`drop table if exists \`processed_message\`;`);

    this.addSql(`drop table if exists \`push_device\`;`);
  }

}
