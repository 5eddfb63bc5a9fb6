import { Migration } from '@mikro-orm/migrations';

export class Migration20261206233613 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`person\` (\`id\` text not null, \`school_id\` text not null, \`roles\` text not null, \`active\` integer not null default true, \`display_name\` text null, \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`person_school_id_index\` on \`person\` (\`school_id\`);`);

    this.addSql(`alter table \`enrollment\` add column \`removed_at\` datetime null;`);
    this.addSql(`alter table \`enrollment\` add column \`removed_by\` text null;`);
  }

}
