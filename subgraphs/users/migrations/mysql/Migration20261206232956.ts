import { Migration } from '@mikro-orm/migrations';

export class Migration20261206232956 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`processed_message\` add index \`processed_message_processed_at_index\`(\`processed_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`processed_message\` drop index \`processed_message_processed_at_index\`;`);
  }

}
