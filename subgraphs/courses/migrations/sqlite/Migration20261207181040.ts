import { Migration } from '@mikro-orm/migrations';

export class Migration20261207181040 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`enrollment_school_id_student_id_index\` on \`enrollment\` (\`school_id\`, \`student_id\`);`);
  }

}
