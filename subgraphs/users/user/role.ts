import { registerEnumType } from 'type-graphql';
import { Roles, type RoleName } from '../../../platform/auth/roles';

/**
 * The GraphQL enum `Role`: the role names of the signed contexts (platform/auth/roles.ts), which
 * this subgraph grants. A copy of the object, so that type-graphql's registration is this
 * subgraph's own.
 */
export const Role = { ...Roles };
export type Role = RoleName;
registerEnumType(Role, { name: 'Role' });

export enum Locale {
  AR = 'AR',
  EN = 'EN',
}
registerEnumType(Locale, { name: 'Locale' });
