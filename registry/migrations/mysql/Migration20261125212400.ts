import { Migration } from '@mikro-orm/migrations';

export class Migration20261125212400 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`api_token\` (\`id\` varchar(36) not null, \`name\` varchar(100) not null, \`scopes\` varchar(100) not null, \`token_hash\` varchar(64) not null, \`created_by\` varchar(100) not null, \`created_at\` datetime(3) not null, \`revoked_at\` datetime null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`api_token\` add index \`api_token_name_index\`(\`name\`);`);
    this.addSql(`alter table \`api_token\` add unique \`api_token_token_hash_unique\`(\`token_hash\`);`);

    this.addSql(`create table \`approval\` (\`id\` varchar(36) not null, \`proposal_hash\` varchar(64) not null, \`subgraphs\` varchar(500) not null, \`changes\` text not null, \`reason\` varchar(1000) not null, \`approved_by\` varchar(100) not null, \`created_at\` datetime(3) not null, \`version_id\` varchar(36) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`approval\` add index \`approval_proposal_hash_index\`(\`proposal_hash\`);`);

    this.addSql(`create table \`operation\` (\`id\` varchar(64) not null, \`name\` varchar(200) null, \`first_seen_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`operation_field\` (\`id\` varchar(36) not null, \`operation_id\` varchar(64) not null, \`coordinate\` varchar(300) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`operation_field\` add index \`operation_field_coordinate_index\`(\`coordinate\`);`);
    this.addSql(`alter table \`operation_field\` add unique \`operation_field_operation_id_coordinate_unique\`(\`operation_id\`, \`coordinate\`);`);

    this.addSql(`create table \`operation_usage\` (\`id\` varchar(36) not null, \`operation_id\` varchar(64) not null, \`client\` varchar(100) not null, \`count\` int not null, \`reported_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`operation_usage\` add index \`operation_usage_reported_at_index\`(\`reported_at\`);`);
    this.addSql(`alter table \`operation_usage\` add index \`operation_usage_operation_id_reported_at_index\`(\`operation_id\`, \`reported_at\`);`);

    this.addSql(`create table \`schema_change\` (\`id\` varchar(36) not null, \`version_id\` varchar(36) not null, \`position\` int not null, \`target\` varchar(16) not null, \`level\` varchar(16) not null, \`type\` varchar(64) not null, \`path\` varchar(500) null, \`message\` varchar(1000) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`schema_change\` add index \`schema_change_version_id_index\`(\`version_id\`);`);

    this.addSql(`create table \`schema_version\` (\`id\` varchar(36) not null, \`number\` int not null, \`hash\` varchar(64) not null, \`supergraph_sdl\` mediumtext not null, \`api_sdl\` mediumtext not null, \`contract_sdl\` mediumtext null, \`contract_hash\` varchar(64) null, \`subgraphs\` varchar(500) not null, \`author\` varchar(200) not null, \`message\` varchar(1000) null, \`approval_id\` varchar(36) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`schema_version\` add unique \`schema_version_number_unique\`(\`number\`);`);

    this.addSql(`create table \`subgraph\` (\`name\` varchar(64) not null, \`url\` varchar(2000) not null, \`sdl\` mediumtext not null, \`sdl_hash\` varchar(64) not null, \`version_number\` int not null, \`updated_at\` datetime(3) not null, primary key (\`name\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`webhook\` (\`id\` varchar(36) not null, \`partner\` varchar(100) not null, \`url\` varchar(2000) not null, \`secret\` varchar(100) not null, \`created_at\` datetime(3) not null, \`removed_at\` datetime null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`webhook\` add index \`webhook_partner_index\`(\`partner\`);`);

    this.addSql(`create table \`webhook_delivery\` (\`id\` varchar(36) not null, \`webhook_id\` varchar(36) not null, \`version_id\` varchar(36) not null, \`status\` varchar(16) not null default 'pending', \`attempts\` int not null default 0, \`last_error\` varchar(1000) null, \`created_at\` datetime(3) not null, \`queued_at\` datetime null, \`delivered_at\` datetime null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`webhook_delivery\` add index \`webhook_delivery_webhook_id_index\`(\`webhook_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`api_token\`;`);

    this.addSql(`drop table if exists \`approval\`;`);

    this.addSql(`drop table if exists \`operation\`;`);

    this.addSql(`drop table if exists \`operation_field\`;`);

    this.addSql(`drop table if exists \`operation_usage\`;`);

    this.addSql(`drop table if exists \`schema_change\`;`);

    this.addSql(`drop table if exists \`schema_version\`;`);

    this.addSql(`drop table if exists \`subgraph\`;`);

    this.addSql(`drop table if exists \`webhook\`;`);

    this.addSql(`drop table if exists \`webhook_delivery\`;`);
  }

}
