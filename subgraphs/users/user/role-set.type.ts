import { Type } from '@mikro-orm/core';
import type { Role } from './role';

/**
 * Roles stored as `,SCHOOL_ADMIN,TEACHER,` in a plain string column: filtering by one role is a
 * portable `LIKE '%,TEACHER,%'` on MySQL and SQLite alike (JSON functions differ between them),
 * and the delimiters keep one role name from matching inside another.
 */
export class RoleSetType extends Type<Role[], string> {
  convertToDatabaseValue(value: Role[] | string): string {
    if (typeof value === 'string') return value; // already a LIKE pattern or stored form
    return `,${[...new Set(value)].sort().join(',')},`;
  }

  convertToJSValue(value: string | Role[]): Role[] {
    if (Array.isArray(value)) return value;
    return value.split(',').filter(Boolean) as Role[];
  }

  getColumnType(): string {
    return 'varchar(255)';
  }
}

export const hasRole = (role: Role) => ({ $like: `%,${role},%` });
