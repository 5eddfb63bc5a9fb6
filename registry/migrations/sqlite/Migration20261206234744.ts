import { Migration } from '@mikro-orm/migrations';

export class Migration20261206234744 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`schema_version\` add column \`forced\` text null;`);
  }

}
