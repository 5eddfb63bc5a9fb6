import { Migration } from '@mikro-orm/migrations';

export class Migration20261206233613 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`person\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`roles\` text not null, \`active\` tinyint(1) not null default true, \`display_name\` varchar(200) null, \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`person\` add index \`person_school_id_index\`(\`school_id\`);`);

    this.addSql(`alter table \`enrollment\` add \`removed_at\` datetime(3) null, add \`removed_by\` varchar(64) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`person\`;`);

    this.addSql(`alter table \`enrollment\` drop column \`removed_at\`, drop column \`removed_by\`;`);
  }

}
