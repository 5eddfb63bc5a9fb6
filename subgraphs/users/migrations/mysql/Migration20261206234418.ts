import { Migration } from '@mikro-orm/migrations';

export class Migration20261206234418 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`refresh_token\` add index \`refresh_token_revoked_at_index\`(\`revoked_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`refresh_token\` drop index \`refresh_token_revoked_at_index\`;`);
  }

}
