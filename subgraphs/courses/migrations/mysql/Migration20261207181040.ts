import { Migration } from '@mikro-orm/migrations';

export class Migration20261207181040 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`enrollment\` add index \`enrollment_school_id_student_id_index\`(\`school_id\`, \`student_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`enrollment\` drop index \`enrollment_school_id_student_id_index\`;`);
  }

}
