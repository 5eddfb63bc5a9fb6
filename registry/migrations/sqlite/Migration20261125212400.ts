import { Migration } from '@mikro-orm/migrations';

export class Migration20261125212400 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`api_token\` (\`id\` text not null, \`name\` text not null, \`scopes\` text not null, \`token_hash\` text not null, \`created_by\` text not null, \`created_at\` datetime not null, \`revoked_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`api_token_name_index\` on \`api_token\` (\`name\`);`);
    this.addSql(`create unique index \`api_token_token_hash_unique\` on \`api_token\` (\`token_hash\`);`);

    this.addSql(`create table \`approval\` (\`id\` text not null, \`proposal_hash\` text not null, \`subgraphs\` text not null, \`changes\` text not null, \`reason\` text not null, \`approved_by\` text not null, \`created_at\` datetime not null, \`version_id\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`approval_proposal_hash_index\` on \`approval\` (\`proposal_hash\`);`);

    this.addSql(`create table \`operation\` (\`id\` text not null, \`name\` text null, \`first_seen_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`operation_field\` (\`id\` text not null, \`operation_id\` text not null, \`coordinate\` text not null, primary key (\`id\`));`);
    this.addSql(`create index \`operation_field_coordinate_index\` on \`operation_field\` (\`coordinate\`);`);
    this.addSql(`create unique index \`operation_field_operation_id_coordinate_unique\` on \`operation_field\` (\`operation_id\`, \`coordinate\`);`);

    this.addSql(`create table \`operation_usage\` (\`id\` text not null, \`operation_id\` text not null, \`client\` text not null, \`count\` integer not null, \`reported_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`operation_usage_reported_at_index\` on \`operation_usage\` (\`reported_at\`);`);
    this.addSql(`create index \`operation_usage_operation_id_reported_at_index\` on \`operation_usage\` (\`operation_id\`, \`reported_at\`);`);

    this.addSql(`create table \`schema_change\` (\`id\` text not null, \`version_id\` text not null, \`position\` integer not null, \`target\` text not null, \`level\` text not null, \`type\` text not null, \`path\` text null, \`message\` text not null, primary key (\`id\`));`);
    this.addSql(`create index \`schema_change_version_id_index\` on \`schema_change\` (\`version_id\`);`);

    this.addSql(`create table \`schema_version\` (\`id\` text not null, \`number\` integer not null, \`hash\` text not null, \`supergraph_sdl\` mediumtext not null, \`api_sdl\` mediumtext not null, \`contract_sdl\` mediumtext null, \`contract_hash\` text null, \`subgraphs\` text not null, \`author\` text not null, \`message\` text null, \`approval_id\` text null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`schema_version_number_unique\` on \`schema_version\` (\`number\`);`);

    this.addSql(`create table \`subgraph\` (\`name\` text not null, \`url\` text not null, \`sdl\` mediumtext not null, \`sdl_hash\` text not null, \`version_number\` integer not null, \`updated_at\` datetime not null, primary key (\`name\`));`);

    this.addSql(`create table \`webhook\` (\`id\` text not null, \`partner\` text not null, \`url\` text not null, \`secret\` text not null, \`created_at\` datetime not null, \`removed_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`webhook_partner_index\` on \`webhook\` (\`partner\`);`);

    this.addSql(`create table \`webhook_delivery\` (\`id\` text not null, \`webhook_id\` text not null, \`version_id\` text not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`created_at\` datetime not null, \`queued_at\` datetime null, \`delivered_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`webhook_delivery_webhook_id_index\` on \`webhook_delivery\` (\`webhook_id\`);`);
  }

}
