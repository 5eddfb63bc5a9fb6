import { Migration } from '@mikro-orm/migrations';

export class Migration20261206234730 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`billing_profile\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`legal_name\` text not null, \`locale\` text not null default 'AR', \`tax_registration_number\` text null, \`address\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`billing_profile_school_id_index\` on \`billing_profile\` (\`school_id\`);`);
    this.addSql(`create unique index \`billing_profile_school_id_unique\` on \`billing_profile\` (\`school_id\`);`);

    this.addSql(`create table \`guardian_link\` (\`id\` text not null, \`school_id\` text not null, \`guardian_id\` text not null, \`student_id\` text not null, \`linked_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`guardian_link_school_id_index\` on \`guardian_link\` (\`school_id\`);`);
    this.addSql(`create index \`guardian_link_guardian_id_index\` on \`guardian_link\` (\`guardian_id\`);`);
    this.addSql(`create index \`guardian_link_student_id_index\` on \`guardian_link\` (\`student_id\`);`);
    this.addSql(`create unique index \`guardian_link_guardian_id_student_id_unique\` on \`guardian_link\` (\`guardian_id\`, \`student_id\`);`);

    this.addSql(`create table \`invoice_sequence\` (\`id\` text not null, \`school_id\` text not null, \`last_number\` integer not null default 0, primary key (\`id\`));`);
    this.addSql(`create index \`invoice_sequence_school_id_index\` on \`invoice_sequence\` (\`school_id\`);`);
    this.addSql(`create unique index \`invoice_sequence_school_id_unique\` on \`invoice_sequence\` (\`school_id\`);`);

    this.addSql(`create table \`outbox_message\` (\`id\` text not null, \`type\` text not null, \`version\` integer not null, \`tenant_id\` text not null, \`occurred_at\` datetime not null, \`sequence\` bigint not null, \`payload\` text not null, \`status\` text check (\`status\` in ('pending', 'published')) not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`available_at\` datetime null, \`published_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`outbox_message_status_occurred_at_sequence_index\` on \`outbox_message\` (\`status\`, \`occurred_at\`, \`sequence\`);`);

    this.addSql(`create table \`person\` (\`id\` text not null, \`school_id\` text not null, \`roles\` text not null, \`active\` integer not null default true, \`display_name\` text null, \`observed_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`person_school_id_index\` on \`person\` (\`school_id\`);`);

    this.addSql(`create table \`plan\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`name\` text not null, \`amount_piasters\` integer not null, \`currency\` text not null default 'EGP', \`interval\` text not null, \`course_id\` text null, \`active\` integer not null default true, primary key (\`id\`));`);
    this.addSql(`create index \`plan_school_id_index\` on \`plan\` (\`school_id\`);`);
    this.addSql(`create index \`plan_school_id_course_id_index\` on \`plan\` (\`school_id\`, \`course_id\`);`);

    this.addSql(`create table \`plan_subscription\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`plan_id\` text not null, \`student_id\` text not null, \`payer_id\` text not null, \`status\` text not null default 'PENDING', \`current_period_end\` datetime null, \`activated_at\` datetime null, \`canceled_at\` datetime null, \`expired_at\` datetime null, constraint \`plan_subscription_plan_id_foreign\` foreign key(\`plan_id\`) references \`plan\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`plan_subscription_school_id_index\` on \`plan_subscription\` (\`school_id\`);`);
    this.addSql(`create index \`plan_subscription_plan_id_index\` on \`plan_subscription\` (\`plan_id\`);`);
    this.addSql(`create index \`plan_subscription_student_id_index\` on \`plan_subscription\` (\`student_id\`);`);
    this.addSql(`create index \`plan_subscription_payer_id_index\` on \`plan_subscription\` (\`payer_id\`);`);
    this.addSql(`create index \`plan_subscription_status_current_period_end_index\` on \`plan_subscription\` (\`status\`, \`current_period_end\`);`);
    this.addSql(`create unique index \`plan_subscription_plan_id_student_id_unique\` on \`plan_subscription\` (\`plan_id\`, \`student_id\`);`);

    this.addSql(`create table \`payment\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`subscription_id\` text not null, \`plan_id\` text not null, \`student_id\` text not null, \`payer_id\` text not null, \`amount_piasters\` integer not null, \`currency\` text not null default 'EGP', \`provider\` text not null, \`method\` text not null, \`status\` text not null default 'PENDING', \`merchant_ref\` text not null, \`provider_order_id\` text null, \`provider_transaction_id\` text null, \`checkout_url\` text null, \`fawry_reference_number\` text null, \`expires_at\` datetime null, \`paid_at\` datetime null, \`refunded_piasters\` integer not null default 0, \`reserved_refund_piasters\` integer not null default 0, \`source_type\` text null, \`failure_reason\` text null, \`school_slug\` text null, constraint \`payment_subscription_id_foreign\` foreign key(\`subscription_id\`) references \`plan_subscription\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`payment_school_id_index\` on \`payment\` (\`school_id\`);`);
    this.addSql(`create index \`payment_subscription_id_index\` on \`payment\` (\`subscription_id\`);`);
    this.addSql(`create index \`payment_student_id_index\` on \`payment\` (\`student_id\`);`);
    this.addSql(`create index \`payment_payer_id_index\` on \`payment\` (\`payer_id\`);`);
    this.addSql(`create index \`payment_status_provider_created_at_index\` on \`payment\` (\`status\`, \`provider\`, \`created_at\`);`);
    this.addSql(`create unique index \`payment_provider_provider_order_id_unique\` on \`payment\` (\`provider\`, \`provider_order_id\`);`);
    this.addSql(`create unique index \`payment_merchant_ref_unique\` on \`payment\` (\`merchant_ref\`);`);

    this.addSql(`create table \`invoice\` (\`id\` text not null, \`school_id\` text not null, \`payment_id\` text not null, \`sequence\` integer not null, \`number\` text not null, \`issued_at\` datetime not null, \`total_piasters\` integer not null, \`currency\` text not null default 'EGP', \`description\` text not null, \`period_start\` datetime null, \`period_end\` datetime null, \`pdf_key\` text null, constraint \`invoice_payment_id_foreign\` foreign key(\`payment_id\`) references \`payment\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`invoice_school_id_index\` on \`invoice\` (\`school_id\`);`);
    this.addSql(`create unique index \`invoice_payment_id_unique\` on \`invoice\` (\`payment_id\`);`);
    this.addSql(`create index \`invoice_issued_at_index\` on \`invoice\` (\`issued_at\`);`);
    this.addSql(`create unique index \`invoice_school_id_sequence_unique\` on \`invoice\` (\`school_id\`, \`sequence\`);`);

    this.addSql(`create table \`processed_message\` (\`consumer\` text not null, \`message_id\` text not null, \`processed_at\` datetime not null, primary key (\`consumer\`, \`message_id\`));`);
    this.addSql(`create index \`processed_message_processed_at_index\` on \`processed_message\` (\`processed_at\`);`);

    this.addSql(`create table \`provider_event\` (\`id\` text not null, \`school_id\` text not null, \`provider\` text not null, \`event_key\` text not null, \`payment_id\` text not null, \`outcome\` text not null, \`via\` text not null, \`payload\` text not null, \`received_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`provider_event_school_id_index\` on \`provider_event\` (\`school_id\`);`);
    this.addSql(`create index \`provider_event_payment_id_index\` on \`provider_event\` (\`payment_id\`);`);
    this.addSql(`create unique index \`provider_event_provider_event_key_unique\` on \`provider_event\` (\`provider\`, \`event_key\`);`);

    this.addSql(`create table \`refund\` (\`id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`school_id\` text not null, \`payment_id\` text not null, \`amount_piasters\` integer not null, \`reason\` text null, \`status\` text not null default 'PENDING', \`kind\` text not null default 'REFUND', \`provider_refund_id\` text null, \`requested_by\` text not null, \`error\` text null, constraint \`refund_payment_id_foreign\` foreign key(\`payment_id\`) references \`payment\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`refund_school_id_index\` on \`refund\` (\`school_id\`);`);
    this.addSql(`create index \`refund_payment_id_index\` on \`refund\` (\`payment_id\`);`);
  }

}
