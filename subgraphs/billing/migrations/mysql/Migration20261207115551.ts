import { Migration } from '@mikro-orm/migrations';

export class Migration20261207115551 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`outbox_message\` add \`trace_parent\` varchar(55) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`outbox_message\` drop column \`trace_parent\`;`);
  }

}
