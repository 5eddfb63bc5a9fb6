import { Migration } from '@mikro-orm/migrations';

export class Migration20261207022326 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`conversation_participant\` add column \`position\` integer not null;`);
  }

}
