import { Migration } from '@mikro-orm/migrations';

export class Migration20261207020703 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`live_session_info\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`course_id\` varchar(36) not null, \`title\` varchar(200) null, \`starts_at\` datetime(3) null, \`started_at\` datetime(3) null, \`canceled_at\` datetime(3) null, \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`live_session_info\` add index \`live_session_info_school_id_index\`(\`school_id\`);`);

    this.addSql(`alter table \`message\` add \`event_id\` varchar(48) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`live_session_info\`;`);

    this.addSql(`alter table \`message\` drop column \`event_id\`;`);
  }

}
