import { Migration } from '@mikro-orm/migrations';

export class Migration20261125205646 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`invitation\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`email\` varchar(254) not null, \`display_name\` varchar(200) not null, \`roles\` varchar(255) not null, \`token_hash\` varchar(64) not null, \`invited_by_id\` varchar(36) not null, \`expires_at\` datetime not null, \`accepted_at\` datetime null, \`user_id\` varchar(36) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`invitation\` add index \`invitation_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`invitation\` add unique \`invitation_token_hash_unique\`(\`token_hash\`);`);

    this.addSql(`create table \`refresh_token\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`family_id\` varchar(36) not null, \`parent_id\` varchar(36) null, \`token_hash\` varchar(64) not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`revoked_at\` datetime null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`refresh_token\` add index \`refresh_token_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`refresh_token\` add index \`refresh_token_family_id_index\`(\`family_id\`);`);
    this.addSql(`alter table \`refresh_token\` add unique \`refresh_token_token_hash_unique\`(\`token_hash\`);`);

    this.addSql(`create table \`school\` (\`id\` varchar(36) not null, \`slug\` varchar(63) not null, \`name\` varchar(200) not null, \`locale\` enum('AR', 'EN') not null default 'AR', \`timezone\` varchar(64) not null default 'Africa/Cairo', \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`school\` add unique \`school_slug_unique\`(\`slug\`);`);

    this.addSql(`create table \`user\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`display_name\` varchar(200) not null, \`email\` varchar(254) null, \`phone\` varchar(20) null, \`password_hash\` varchar(255) null, \`roles\` varchar(255) not null, \`locale\` enum('AR', 'EN') not null default 'AR', \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`user\` add index \`user_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`user\` add unique \`user_school_id_email_unique\`(\`school_id\`, \`email\`);`);

    this.addSql(`create table \`pairing_code\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`code_hash\` varchar(64) not null, \`student_id\` varchar(36) not null, \`created_by_id\` varchar(36) not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`used_by_id\` varchar(36) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`pairing_code\` add index \`pairing_code_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`pairing_code\` add unique \`pairing_code_code_hash_unique\`(\`code_hash\`);`);
    this.addSql(`alter table \`pairing_code\` add index \`pairing_code_student_id_index\`(\`student_id\`);`);

    this.addSql(`create table \`guardian_link\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`guardian_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_guardian_id_index\`(\`guardian_id\`);`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`guardian_link\` add unique \`guardian_link_guardian_id_student_id_unique\`(\`guardian_id\`, \`student_id\`);`);

    this.addSql(`alter table \`pairing_code\` add constraint \`pairing_code_student_id_foreign\` foreign key (\`student_id\`) references \`user\` (\`id\`) on update cascade on delete cascade;`);

    this.addSql(`alter table \`guardian_link\` add constraint \`guardian_link_guardian_id_foreign\` foreign key (\`guardian_id\`) references \`user\` (\`id\`) on update cascade on delete cascade;`);
    this.addSql(`alter table \`guardian_link\` add constraint \`guardian_link_student_id_foreign\` foreign key (\`student_id\`) references \`user\` (\`id\`) on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`pairing_code\` drop foreign key \`pairing_code_student_id_foreign\`;`);

    this.addSql(`alter table \`guardian_link\` drop foreign key \`guardian_link_guardian_id_foreign\`;`);

    this.addSql(`alter table \`guardian_link\` drop foreign key \`guardian_link_student_id_foreign\`;`);

    this.addSql(`drop table if exists \`invitation\`;`);

    this.addSql(`drop table if exists \`refresh_token\`;`);

    this.addSql(`drop table if exists \`school\`;`);

    this.addSql(`drop table if exists \`user\`;`);

    this.addSql(`drop table if exists \`pairing_code\`;`);

    this.addSql(`drop table if exists \`guardian_link\`;`);
  }

}
