import { Migration } from '@mikro-orm/migrations';

export class Migration20261207000336 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`password_reset\` (\`id\` text not null, \`school_id\` text not null, \`user_id\` text not null, \`token_hash\` text not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`password_reset_school_id_index\` on \`password_reset\` (\`school_id\`);`);
    this.addSql(`create index \`password_reset_user_id_index\` on \`password_reset\` (\`user_id\`);`);
    this.addSql(`create unique index \`password_reset_token_hash_unique\` on \`password_reset\` (\`token_hash\`);`);

    this.addSql(`alter table \`invitation\` add column \`revoked_at\` datetime null;`);
    this.addSql(`alter table \`invitation\` add column \`revoked_by_id\` text null;`);

    this.addSql(`create index \`refresh_token_user_id_index\` on \`refresh_token\` (\`user_id\`);`);

    this.addSql(`alter table \`user\` add column \`deactivated_at\` datetime null;`);
  }

}
