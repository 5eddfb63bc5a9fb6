import { Migration } from '@mikro-orm/migrations';

export class Migration20261207115539 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`outbox_message\` add column \`trace_parent\` text null;`);
  }

}
