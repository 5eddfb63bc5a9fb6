import { Migration } from '@mikro-orm/migrations';

export class Migration20261207120751 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`persisted_client\` (\`client\` text not null, \`trusted_only\` integer not null default false, \`updated_by\` text null, \`updated_at\` datetime not null, primary key (\`client\`));`);
  }

}
