import { Migration } from '@mikro-orm/migrations';

export class Migration20261207095428 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`persisted_operation\` (\`id\` varchar(36) not null, \`client\` varchar(100) not null, \`client_version\` varchar(100) not null, \`hash\` varchar(64) not null, \`name\` varchar(200) null, \`body\` text not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`persisted_operation\` add index \`persisted_operation_client_hash_index\`(\`client\`, \`hash\`);`);
    this.addSql(`alter table \`persisted_operation\` add unique \`persisted_operation_client_client_version_hash_unique\`(\`client\`, \`client_version\`, \`hash\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`persisted_operation\`;`);
  }

}
