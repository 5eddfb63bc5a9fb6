import { Migration } from '@mikro-orm/migrations';

export class Migration20261207001929 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`course\` add column \`deleted_at\` datetime null;`);
    this.addSql(`alter table \`course\` add column \`deleted_by\` text null;`);

    this.addSql(`alter table \`lesson\` add column \`deleted_at\` datetime null;`);
    this.addSql(`alter table \`lesson\` add column \`deleted_by\` text null;`);

    this.addSql(`alter table \`live_session\` add column \`canceled_at\` datetime null;`);
    this.addSql(`alter table \`live_session\` add column \`cancel_reason\` text null;`);

    this.addSql(`alter table \`quiz\` add column \`solutions_visibility\` text not null default 'AFTER_LAST_ATTEMPT';`);
    this.addSql(`alter table \`quiz\` add column \`due_at\` datetime null;`);
    this.addSql(`alter table \`quiz\` add column \`deleted_at\` datetime null;`);
    this.addSql(`alter table \`quiz\` add column \`deleted_by\` text null;`);

    this.addSql(`alter table \`quiz_attempt\` add column \`timed_out\` integer not null default false;`);
    this.addSql(`alter table \`quiz_attempt\` add column \`last_saved_at\` datetime null;`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(`create table \`quiz_answer__temp_alter\` (\`id\` text not null, \`school_id\` text not null, \`attempt_id\` text not null, \`question_id\` text not null, \`choices\` text null, \`boolean_value\` integer null, \`numeric_value\` double null, \`text\` text null, \`correct\` integer null, \`points_awarded\` double null, constraint \`quiz_answer_attempt_id_foreign\` foreign key(\`attempt_id\`) references \`quiz_attempt\`(\`id\`) on delete cascade on update cascade, constraint \`quiz_answer_question_id_foreign\` foreign key(\`question_id\`) references \`question\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`quiz_answer__temp_alter\` select \`id\`, \`school_id\`, \`attempt_id\`, \`question_id\`, \`choices\`, \`boolean_value\`, \`numeric_value\`, \`text\`, \`correct\`, \`points_awarded\` from \`quiz_answer\`;`);
    this.addSql(`drop table \`quiz_answer\`;`);
    this.addSql(`alter table \`quiz_answer__temp_alter\` rename to \`quiz_answer\`;`);
    this.addSql(`create index \`quiz_answer_school_id_index\` on \`quiz_answer\` (\`school_id\`);`);
    this.addSql(`create index \`quiz_answer_attempt_id_index\` on \`quiz_answer\` (\`attempt_id\`);`);
    this.addSql(`create index \`quiz_answer_question_id_index\` on \`quiz_answer\` (\`question_id\`);`);
    this.addSql(`create unique index \`quiz_answer_attempt_id_question_id_unique\` on \`quiz_answer\` (\`attempt_id\`, \`question_id\`);`);
    this.addSql(`pragma foreign_keys = on;`);
  }

}
