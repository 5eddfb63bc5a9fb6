import { Migration } from '@mikro-orm/migrations';

export class Migration20261207020703 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`live_session_info\` (\`id\` text not null, \`school_id\` text not null, \`course_id\` text not null, \`title\` text null, \`starts_at\` datetime null, \`started_at\` datetime null, \`canceled_at\` datetime null, \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`live_session_info_school_id_index\` on \`live_session_info\` (\`school_id\`);`);

    this.addSql(`alter table \`message\` add column \`event_id\` text null;`);
  }

}
