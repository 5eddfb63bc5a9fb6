import { Migration } from '@mikro-orm/migrations';

export class Migration20261125212127 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`outbox_message\` (\`id\` varchar(36) not null, \`type\` varchar(100) not null, \`version\` int not null, \`tenant_id\` varchar(36) not null, \`occurred_at\` datetime(3) not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` enum('pending', 'published') not null default 'pending', \`attempts\` int not null default 0, \`last_error\` text null, \`available_at\` datetime(3) null, \`published_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`outbox_message\` add index \`outbox_message_status_occurred_at_sequence_index\`(\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` varchar(100) not null, \`message_id\` varchar(100) not null, \`processed_at\` datetime(3) not null, primary key (\`consumer\`, \`message_id\`)) default character set utf8mb4 engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`outbox_message\`;`);

    this.addSql(`drop table if exists \`processed_message\`;`);
  }

}
