import { Migration } from '@mikro-orm/migrations';

export class Migration20261206234938 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`course_plan\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`plan_id\` varchar(36) not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`course_plan\` add index \`course_plan_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`course_plan\` add index \`course_plan_course_id_index\`(\`course_id\`);`);
    this.addSql(`alter table \`course_plan\` add unique \`course_plan_plan_id_unique\`(\`plan_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`course_plan\`;`);
  }

}
