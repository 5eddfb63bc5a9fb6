import { Filter, Index, Property, type EntityManager } from '@mikro-orm/core';
import { BaseEntity, UuidEntity } from './base-entity';

export const TENANT_FILTER = 'tenant';

/**
 * Row-level tenant scoping. `default: true` makes the filter apply to every find/count/update/
 * delete; without parameters MikroORM refuses the query, and a parameter set without a school
 * id throws here, so a forgotten tenant fails closed instead of reading every school.
 */
export const TenantFilter = () =>
  Filter({
    name: TENANT_FILTER,
    default: true,
    cond: (args: { schoolId?: string }) => {
      if (!args?.schoolId) throw new Error('tenant filter used without a schoolId');
      return { schoolId: args.schoolId };
    },
  });

/**
 * Base of every tenant-owned entity: carries `school_id`, indexed, behind the tenant filter, and
 * the application-made UUID key every tenant-owned row has (UuidEntity). Entities with both
 * timestamps extend TenantEntity instead; the others declare their own time columns.
 */
@TenantFilter()
export abstract class TenantOwned extends UuidEntity {
  @Index()
  @Property({ type: 'uuid' })
  schoolId!: string;
}

/**
 * A tenant-owned BaseEntity (id, createdAt, updatedAt): TenantOwned's `school_id` and filter on
 * the other branch of the hierarchy (a class has one base), so the two declarations are repeated.
 */
@TenantFilter()
export abstract class TenantEntity<Optional = never> extends BaseEntity<Optional> {
  @Index()
  @Property({ type: 'uuid' })
  schoolId!: string;
}

/** Turns the tenant filter on for this fork; one fork per request or queue message. */
export function scopeToTenant<T extends EntityManager>(em: T, schoolId: string): T {
  em.setFilterParams(TENANT_FILTER, { schoolId });
  return em;
}
