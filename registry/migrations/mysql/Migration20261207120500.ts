import { Migration } from '@mikro-orm/migrations';

export class Migration20261207120500 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`partner_key\` (\`id\` varchar(36) not null, \`partner\` varchar(100) not null, \`school\` varchar(100) not null, \`rate_per_minute\` int not null, \`key_hash\` varchar(64) not null, \`created_by\` varchar(100) not null, \`created_at\` datetime(3) not null, \`revoked_at\` datetime null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`partner_key\` add index \`partner_key_partner_index\`(\`partner\`);`);
    this.addSql(`alter table \`partner_key\` add unique \`partner_key_key_hash_unique\`(\`key_hash\`);`);

    this.addSql(`create table \`partner_operation\` (\`id\` varchar(36) not null, \`partner\` varchar(100) not null, \`operation_id\` varchar(64) not null, \`first_seen_at\` datetime(3) not null, \`last_seen_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`partner_operation\` add index \`partner_operation_partner_index\`(\`partner\`);`);
    this.addSql(`alter table \`partner_operation\` add index \`partner_operation_operation_id_index\`(\`operation_id\`);`);
    this.addSql(`alter table \`partner_operation\` add unique \`partner_operation_partner_operation_id_unique\`(\`partner\`, \`operation_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`partner_key\`;`);
    this.addSql(`drop table if exists \`partner_operation\`;`);
  }

}
