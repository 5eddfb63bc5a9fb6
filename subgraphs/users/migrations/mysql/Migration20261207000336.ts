import { Migration } from '@mikro-orm/migrations';

export class Migration20261207000336 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`password_reset\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`token_hash\` varchar(64) not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`password_reset\` add index \`password_reset_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`password_reset\` add index \`password_reset_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`password_reset\` add unique \`password_reset_token_hash_unique\`(\`token_hash\`);`);

    this.addSql(`alter table \`invitation\` add \`revoked_at\` datetime(3) null, add \`revoked_by_id\` varchar(36) null;`);

    this.addSql(`alter table \`refresh_token\` add index \`refresh_token_user_id_index\`(\`user_id\`);`);

    this.addSql(`alter table \`user\` add \`deactivated_at\` datetime(3) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`password_reset\`;`);

    this.addSql(`alter table \`refresh_token\` drop index \`refresh_token_user_id_index\`;`);

    this.addSql(`alter table \`invitation\` drop column \`revoked_at\`, drop column \`revoked_by_id\`;`);

    this.addSql(`alter table \`user\` drop column \`deactivated_at\`;`);
  }

}
