import { Migration } from '@mikro-orm/migrations';

export class Migration20261207021117 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`announcement\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`course_id\` text not null, \`author_id\` text not null, \`template_key\` text not null, \`variables\` json not null, \`channels\` text not null, \`scheduled_at\` datetime null, \`fanned_out_at\` datetime null, \`recipient_count\` integer not null default 0, primary key (\`id\`));`);
    this.addSql(`create index \`announcement_school_id_index\` on \`announcement\` (\`school_id\`);`);
    this.addSql(`create index \`announcement_course_id_created_at_index\` on \`announcement\` (\`course_id\`, \`created_at\`);`);

    this.addSql(`create table \`notification_preference\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`user_id\` text not null, \`category\` text not null, \`channels\` text not null, \`frequency\` text not null default 'IMMEDIATELY', primary key (\`id\`));`);
    this.addSql(`create index \`notification_preference_school_id_index\` on \`notification_preference\` (\`school_id\`);`);
    this.addSql(`create unique index \`notification_preference_school_id_user_id_category_unique\` on \`notification_preference\` (\`school_id\`, \`user_id\`, \`category\`);`);

    this.addSql(`create table \`notification_template\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`key\` text not null, \`channel_key\` text not null, \`locale\` text not null, \`subject\` text not null, \`text\` text not null, \`html\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`notification_template_school_id_index\` on \`notification_template\` (\`school_id\`);`);
    this.addSql(`create unique index \`notification_template_school_id_key_channel_key_locale_unique\` on \`notification_template\` (\`school_id\`, \`key\`, \`channel_key\`, \`locale\`);`);

    this.addSql(`create table \`push_device\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`user_id\` text not null, \`token\` text not null, \`platform\` text not null, \`last_seen_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`push_device_school_id_index\` on \`push_device\` (\`school_id\`);`);
    this.addSql(`create index \`push_device_user_id_index\` on \`push_device\` (\`user_id\`);`);
    this.addSql(`create unique index \`push_device_school_id_token_unique\` on \`push_device\` (\`school_id\`, \`token\`);`);
  }

}
