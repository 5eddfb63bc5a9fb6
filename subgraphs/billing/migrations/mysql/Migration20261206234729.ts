import { Migration } from '@mikro-orm/migrations';

export class Migration20261206234729 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`billing_profile\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`legal_name\` varchar(200) not null, \`locale\` varchar(20) not null default 'AR', \`tax_registration_number\` varchar(50) null, \`address\` varchar(300) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`billing_profile\` add index \`billing_profile_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`billing_profile\` add unique \`billing_profile_school_id_unique\`(\`school_id\`);`);

    this.addSql(`create table \`guardian_link\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`guardian_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`linked_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_guardian_id_index\`(\`guardian_id\`);`);
    this.addSql(`alter table \`guardian_link\` add index \`guardian_link_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`guardian_link\` add unique \`guardian_link_guardian_id_student_id_unique\`(\`guardian_id\`, \`student_id\`);`);

    this.addSql(`create table \`invoice_sequence\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`last_number\` int not null default 0, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`invoice_sequence\` add index \`invoice_sequence_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`invoice_sequence\` add unique \`invoice_sequence_school_id_unique\`(\`school_id\`);`);

    this.addSql(`create table \`outbox_message\` (\`id\` varchar(36) not null, \`type\` varchar(100) not null, \`version\` int not null, \`tenant_id\` varchar(36) not null, \`occurred_at\` datetime(3) not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` enum('pending', 'published') not null default 'pending', \`attempts\` int not null default 0, \`last_error\` text null, \`available_at\` datetime(3) null, \`published_at\` datetime(3) null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`outbox_message\` add index \`outbox_message_status_occurred_at_sequence_index\`(\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`person\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`roles\` text not null, \`active\` tinyint(1) not null default true, \`display_name\` varchar(200) null, \`observed_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`person\` add index \`person_school_id_index\`(\`school_id\`);`);

    this.addSql(`create table \`plan\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`name\` varchar(200) not null, \`amount_piasters\` int not null, \`currency\` varchar(3) not null default 'EGP', \`interval\` varchar(20) not null, \`course_id\` varchar(36) null, \`active\` tinyint(1) not null default true, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`plan\` add index \`plan_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`plan\` add index \`plan_school_id_course_id_index\`(\`school_id\`, \`course_id\`);`);

    this.addSql(`create table \`plan_subscription\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`plan_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`payer_id\` varchar(36) not null, \`status\` varchar(20) not null default 'PENDING', \`current_period_end\` datetime(3) null, \`activated_at\` datetime(3) null, \`canceled_at\` datetime(3) null, \`expired_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`plan_subscription\` add index \`plan_subscription_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`plan_subscription\` add index \`plan_subscription_plan_id_index\`(\`plan_id\`);`);
    this.addSql(`alter table \`plan_subscription\` add index \`plan_subscription_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`plan_subscription\` add index \`plan_subscription_payer_id_index\`(\`payer_id\`);`);
    this.addSql(`alter table \`plan_subscription\` add index \`plan_subscription_status_current_period_end_index\`(\`status\`, \`current_period_end\`);`);
    this.addSql(`alter table \`plan_subscription\` add unique \`plan_subscription_plan_id_student_id_unique\`(\`plan_id\`, \`student_id\`);`);

    this.addSql(`create table \`payment\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`subscription_id\` varchar(36) not null, \`plan_id\` varchar(36) not null, \`student_id\` varchar(36) not null, \`payer_id\` varchar(36) not null, \`amount_piasters\` int not null, \`currency\` varchar(3) not null default 'EGP', \`provider\` varchar(20) not null, \`method\` varchar(20) not null, \`status\` varchar(20) not null default 'PENDING', \`merchant_ref\` varchar(32) not null, \`provider_order_id\` varchar(64) null, \`provider_transaction_id\` varchar(64) null, \`checkout_url\` text null, \`fawry_reference_number\` varchar(32) null, \`expires_at\` datetime(3) null, \`paid_at\` datetime(3) null, \`refunded_piasters\` int not null default 0, \`reserved_refund_piasters\` int not null default 0, \`source_type\` varchar(40) null, \`failure_reason\` varchar(300) null, \`school_slug\` varchar(63) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`payment\` add index \`payment_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`payment\` add index \`payment_subscription_id_index\`(\`subscription_id\`);`);
    this.addSql(`alter table \`payment\` add index \`payment_student_id_index\`(\`student_id\`);`);
    this.addSql(`alter table \`payment\` add index \`payment_payer_id_index\`(\`payer_id\`);`);
    this.addSql(`alter table \`payment\` add index \`payment_status_provider_created_at_index\`(\`status\`, \`provider\`, \`created_at\`);`);
    this.addSql(`alter table \`payment\` add unique \`payment_provider_provider_order_id_unique\`(\`provider\`, \`provider_order_id\`);`);
    this.addSql(`alter table \`payment\` add unique \`payment_merchant_ref_unique\`(\`merchant_ref\`);`);

    this.addSql(`create table \`invoice\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`payment_id\` varchar(36) not null, \`sequence\` int not null, \`number\` varchar(20) not null, \`issued_at\` datetime(3) not null, \`total_piasters\` int not null, \`currency\` varchar(3) not null default 'EGP', \`description\` varchar(300) not null, \`period_start\` datetime(3) null, \`period_end\` datetime(3) null, \`pdf_key\` varchar(300) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`invoice\` add index \`invoice_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`invoice\` add unique \`invoice_payment_id_unique\`(\`payment_id\`);`);
    this.addSql(`alter table \`invoice\` add index \`invoice_issued_at_index\`(\`issued_at\`);`);
    this.addSql(`alter table \`invoice\` add unique \`invoice_school_id_sequence_unique\`(\`school_id\`, \`sequence\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` varchar(100) not null, \`message_id\` varchar(100) not null, \`processed_at\` datetime(3) not null, primary key (\`consumer\`, \`message_id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`processed_message\` add index \`processed_message_processed_at_index\`(\`processed_at\`);`);

    this.addSql(`create table \`provider_event\` (\`id\` varchar(36) not null, \`school_id\` varchar(36) not null, \`provider\` varchar(20) not null, \`event_key\` varchar(120) not null, \`payment_id\` varchar(36) not null, \`outcome\` varchar(20) not null, \`via\` varchar(20) not null, \`payload\` text not null, \`received_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`provider_event\` add index \`provider_event_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`provider_event\` add index \`provider_event_payment_id_index\`(\`payment_id\`);`);
    this.addSql(`alter table \`provider_event\` add unique \`provider_event_provider_event_key_unique\`(\`provider\`, \`event_key\`);`);

    this.addSql(`create table \`refund\` (\`id\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`school_id\` varchar(36) not null, \`payment_id\` varchar(36) not null, \`amount_piasters\` int not null, \`reason\` varchar(500) null, \`status\` varchar(20) not null default 'PENDING', \`kind\` varchar(20) not null default 'REFUND', \`provider_refund_id\` varchar(64) null, \`requested_by\` varchar(36) not null, \`error\` varchar(300) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`refund\` add index \`refund_school_id_index\`(\`school_id\`);`);
    this.addSql(`alter table \`refund\` add index \`refund_payment_id_index\`(\`payment_id\`);`);

    this.addSql(`alter table \`plan_subscription\` add constraint \`plan_subscription_plan_id_foreign\` foreign key (\`plan_id\`) references \`plan\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`payment\` add constraint \`payment_subscription_id_foreign\` foreign key (\`subscription_id\`) references \`plan_subscription\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`invoice\` add constraint \`invoice_payment_id_foreign\` foreign key (\`payment_id\`) references \`payment\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`refund\` add constraint \`refund_payment_id_foreign\` foreign key (\`payment_id\`) references \`payment\` (\`id\`) on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`plan_subscription\` drop foreign key \`plan_subscription_plan_id_foreign\`;`);

    this.addSql(`alter table \`payment\` drop foreign key \`payment_subscription_id_foreign\`;`);

    this.addSql(`alter table \`invoice\` drop foreign key \`invoice_payment_id_foreign\`;`);

    this.addSql(`alter table \`refund\` drop foreign key \`refund_payment_id_foreign\`;`);

    this.addSql(`drop table if exists \`billing_profile\`;`);

    this.addSql(`drop table if exists \`guardian_link\`;`);

    this.addSql(`drop table if exists \`invoice_sequence\`;`);

    this.addSql(`drop table if exists \`outbox_message\`;`);

    this.addSql(`drop table if exists \`person\`;`);

    this.addSql(`drop table if exists \`plan\`;`);

    this.addSql(`drop table if exists \`plan_subscription\`;`);

    this.addSql(`drop table if exists \`payment\`;`);

    this.addSql(`drop table if exists \`invoice\`;`);

    this.addSql(`drop table if exists \`processed_message\`;`);

    this.addSql(`drop table if exists \`provider_event\`;`);

    this.addSql(`drop table if exists \`refund\`;`);
  }

}
