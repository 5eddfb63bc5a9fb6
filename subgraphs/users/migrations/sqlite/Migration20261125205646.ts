import { Migration } from '@mikro-orm/migrations';

export class Migration20261125205646 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`invitation\` (\`id\` text not null, \`school_id\` text not null, \`email\` text not null, \`display_name\` text not null, \`roles\` varchar(255) not null, \`token_hash\` text not null, \`invited_by_id\` text not null, \`expires_at\` datetime not null, \`accepted_at\` datetime null, \`user_id\` text null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`invitation_school_id_index\` on \`invitation\` (\`school_id\`);`);
    this.addSql(`create unique index \`invitation_token_hash_unique\` on \`invitation\` (\`token_hash\`);`);

    this.addSql(`create table \`refresh_token\` (\`id\` text not null, \`school_id\` text not null, \`user_id\` text not null, \`family_id\` text not null, \`parent_id\` text null, \`token_hash\` text not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`revoked_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`refresh_token_school_id_index\` on \`refresh_token\` (\`school_id\`);`);
    this.addSql(`create index \`refresh_token_family_id_index\` on \`refresh_token\` (\`family_id\`);`);
    this.addSql(`create unique index \`refresh_token_token_hash_unique\` on \`refresh_token\` (\`token_hash\`);`);

    this.addSql(`create table \`school\` (\`id\` text not null, \`slug\` text not null, \`name\` text not null, \`locale\` text check (\`locale\` in ('AR', 'EN')) not null default 'AR', \`timezone\` text not null default 'Africa/Cairo', \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`school_slug_unique\` on \`school\` (\`slug\`);`);

    this.addSql(`create table \`user\` (\`id\` text not null, \`school_id\` text not null, \`display_name\` text not null, \`email\` text null, \`phone\` text null, \`password_hash\` text null, \`roles\` varchar(255) not null, \`locale\` text check (\`locale\` in ('AR', 'EN')) not null default 'AR', \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`user_school_id_index\` on \`user\` (\`school_id\`);`);
    this.addSql(`create unique index \`user_school_id_email_unique\` on \`user\` (\`school_id\`, \`email\`);`);

    this.addSql(`create table \`pairing_code\` (\`id\` text not null, \`school_id\` text not null, \`code_hash\` text not null, \`student_id\` text not null, \`created_by_id\` text not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`used_by_id\` text null, \`created_at\` datetime not null, constraint \`pairing_code_student_id_foreign\` foreign key(\`student_id\`) references \`user\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`pairing_code_school_id_index\` on \`pairing_code\` (\`school_id\`);`);
    this.addSql(`create unique index \`pairing_code_code_hash_unique\` on \`pairing_code\` (\`code_hash\`);`);
    this.addSql(`create index \`pairing_code_student_id_index\` on \`pairing_code\` (\`student_id\`);`);

    this.addSql(`create table \`guardian_link\` (\`id\` text not null, \`school_id\` text not null, \`guardian_id\` text not null, \`student_id\` text not null, \`created_at\` datetime not null, constraint \`guardian_link_guardian_id_foreign\` foreign key(\`guardian_id\`) references \`user\`(\`id\`) on delete cascade on update cascade, constraint \`guardian_link_student_id_foreign\` foreign key(\`student_id\`) references \`user\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`guardian_link_school_id_index\` on \`guardian_link\` (\`school_id\`);`);
    this.addSql(`create index \`guardian_link_guardian_id_index\` on \`guardian_link\` (\`guardian_id\`);`);
    this.addSql(`create index \`guardian_link_student_id_index\` on \`guardian_link\` (\`student_id\`);`);
    this.addSql(`create unique index \`guardian_link_guardian_id_student_id_unique\` on \`guardian_link\` (\`guardian_id\`, \`student_id\`);`);
  }

}
