import { Migration } from '@mikro-orm/migrations';

export class Migration20261207120501 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`partner_key\` (\`id\` text not null, \`partner\` text not null, \`school\` text not null, \`rate_per_minute\` integer not null, \`key_hash\` text not null, \`created_by\` text not null, \`created_at\` datetime not null, \`revoked_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`partner_key_partner_index\` on \`partner_key\` (\`partner\`);`);
    this.addSql(`create unique index \`partner_key_key_hash_unique\` on \`partner_key\` (\`key_hash\`);`);

    this.addSql(`create table \`partner_operation\` (\`id\` text not null, \`partner\` text not null, \`operation_id\` text not null, \`first_seen_at\` datetime not null, \`last_seen_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`partner_operation_partner_index\` on \`partner_operation\` (\`partner\`);`);
    this.addSql(`create index \`partner_operation_operation_id_index\` on \`partner_operation\` (\`operation_id\`);`);
    this.addSql(`create unique index \`partner_operation_partner_operation_id_unique\` on \`partner_operation\` (\`partner\`, \`operation_id\`);`);
  }

}
