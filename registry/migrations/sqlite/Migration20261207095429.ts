import { Migration } from '@mikro-orm/migrations';

export class Migration20261207095429 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`persisted_operation\` (\`id\` text not null, \`client\` text not null, \`client_version\` text not null, \`hash\` text not null, \`name\` text null, \`body\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`persisted_operation_client_hash_index\` on \`persisted_operation\` (\`client\`, \`hash\`);`);
    this.addSql(`create unique index \`persisted_operation_client_client_version_hash_unique\` on \`persisted_operation\` (\`client\`, \`client_version\`, \`hash\`);`);
  }

}
