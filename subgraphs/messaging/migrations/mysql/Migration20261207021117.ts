import { Migration } from '@mikro-orm/migrations';

export class Migration20261207021117 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`announcement\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`author_id\` varchar(36) not null, \`template_key\` varchar(100) not null, \`variables\` json not null, \`channels\` text not null, \`scheduled_at\` datetime(3) null, \`fanned_out_at\` datetime(3) null, \`recipient_count\` int not null default 0, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`announcement\` add index \`announcement_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`announcement\` add index \`announcement_course_id_created_at_index\`(\`course_id\`, \`created_at\`);`);

    this.addSql(`create table \`notification_preference\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`category\` varchar(64) not null, \`channels\` text not null, \`frequency\` varchar(20) not null default 'IMMEDIATELY', primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`notification_preference\` add index \`notification_preference_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`notification_preference\` add unique \`notification_preference_school_id_user_id_category_unique\`(\`school_id\`, \`user_id\`, \`category\`);`);

    this.addSql(`create table \`notification_template\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`key\` varchar(100) not null, \`channel_key\` varchar(20) not null, \`locale\` varchar(2) not null, \`subject\` varchar(200) not null, \`text\` text not null, \`html\` text null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`notification_template\` add index \`notification_template_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`notification_template\` add unique \`notification_template_school_id_key_channel_key_locale_unique\`(\`school_id\`, \`key\`, \`channel_key\`, \`locale\`);`);

    this.addSql(`create table \`push_device\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`token\` varchar(4096) not null, \`platform\` varchar(16) not null, \`last_seen_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`push_device\` add index \`push_device_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`push_device\` add index \`push_device_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`push_device\` add unique \`push_device_school_id_token_unique\`(\`school_id\`, \`token\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`announcement\`;`);

    this.addSql(`drop table if exists \`notification_preference\`;`);

    this.addSql(`drop table if exists \`notification_template\`;`);

    this.addSql(`drop table if exists \`push_device\`;`);
  }

}
