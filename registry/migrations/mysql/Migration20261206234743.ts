import { Migration } from '@mikro-orm/migrations';

export class Migration20261206234743 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`schema_version\` add \`forced\` varchar(1000) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`schema_version\` drop column \`forced\`;`);
  }

}
