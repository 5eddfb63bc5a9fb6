import { Migration } from '@mikro-orm/migrations';

export class Migration20261207022325 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`conversation_participant\` add \`position\` int not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`conversation_participant\` drop column \`position\`;`);
  }

}
