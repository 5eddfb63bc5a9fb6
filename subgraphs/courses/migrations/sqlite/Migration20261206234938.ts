import { Migration } from '@mikro-orm/migrations';

export class Migration20261206234938 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`course_plan\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`plan_id\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`course_plan_school_id_index\` on \`course_plan\` (\`school_id\`);`);
    this.addSql(`create index \`course_plan_course_id_index\` on \`course_plan\` (\`course_id\`);`);
    this.addSql(`create unique index \`course_plan_plan_id_unique\` on \`course_plan\` (\`plan_id\`);`);
  }

}
