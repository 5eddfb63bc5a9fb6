import { Migration } from '@mikro-orm/migrations';

export class Migration20261206232959 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`webhook_delivery\` add index \`webhook_delivery_status_created_at_index\`(\`status\`, \`created_at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`webhook_delivery\` drop index \`webhook_delivery_status_created_at_index\`;`);
  }

}
