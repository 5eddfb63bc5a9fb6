import { Migration } from '@mikro-orm/migrations';

export class Migration20261207001929 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`course\` add \`deleted_at\` datetime(3) null, add \`deleted_by\` varchar(64) null;`);

    this.addSql(`alter table \`lesson\` add \`deleted_at\` datetime(3) null, add \`deleted_by\` varchar(64) null;`);

    this.addSql(`alter table \`live_session\` add \`canceled_at\` datetime(3) null, add \`cancel_reason\` varchar(500) null;`);

    this.addSql(`alter table \`quiz\` add \`solutions_visibility\` varchar(20) not null default 'AFTER_LAST_ATTEMPT', add \`due_at\` datetime(3) null, add \`deleted_at\` datetime(3) null, add \`deleted_by\` varchar(64) null;`);

    this.addSql(`alter table \`quiz_attempt\` add \`timed_out\` tinyint(1) not null default false, add \`last_saved_at\` datetime(3) null;`);

    this.addSql(`alter table \`quiz_answer\` modify \`correct\` tinyint(1) null, modify \`points_awarded\` double null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`quiz\` drop column \`solutions_visibility\`, drop column \`due_at\`, drop column \`deleted_at\`, drop column \`deleted_by\`;`);

    this.addSql(`alter table \`quiz_answer\` modify \`correct\` tinyint(1) not null, modify \`points_awarded\` double not null;`);

    this.addSql(`alter table \`live_session\` drop column \`canceled_at\`, drop column \`cancel_reason\`;`);

    this.addSql(`alter table \`quiz_attempt\` drop column \`timed_out\`, drop column \`last_saved_at\`;`);

    this.addSql(`alter table \`lesson\` drop column \`deleted_at\`, drop column \`deleted_by\`;`);

    this.addSql(`alter table \`course\` drop column \`deleted_at\`, drop column \`deleted_by\`;`);
  }

}
