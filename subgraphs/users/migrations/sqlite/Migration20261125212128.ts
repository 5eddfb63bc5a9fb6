import { Migration } from '@mikro-orm/migrations';

export class Migration20261125212128 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`outbox_message\` (\`id\` text not null, \`type\` text not null, \`version\` integer not null, \`tenant_id\` text not null, \`occurred_at\` datetime not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` text check (\`status\` in ('pending', 'published')) not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`available_at\` datetime null, \`published_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`outbox_message_status_occurred_at_sequence_index\` on \`outbox_message\` (\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` text not null, \`message_id\` text not null, \`processed_at\` datetime not null, primary key (\`consumer\`, \`message_id\`));`);
  }

}
