import { Migration } from '@mikro-orm/migrations';

export class Migration20261206234418 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`refresh_token_revoked_at_index\` on \`refresh_token\` (\`revoked_at\`);`);
  }

}
