import { Migration } from '@mikro-orm/migrations';

export class Migration20261206232956 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`processed_message_processed_at_index\` on \`processed_message\` (\`processed_at\`);`);
  }

}
