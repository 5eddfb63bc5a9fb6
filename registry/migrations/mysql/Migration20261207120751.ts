import { Migration } from '@mikro-orm/migrations';

export class Migration20261207120751 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`persisted_client\` (\`client\` varchar(100) not null, \`trusted_only\` tinyint(1) not null default false, \`updated_by\` varchar(100) null, \`updated_at\` datetime(3) not null, primary key (\`client\`)) default character set utf8mb4 engine = InnoDB;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`persisted_client\`;`);
  }

}
