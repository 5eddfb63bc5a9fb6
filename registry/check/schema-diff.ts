import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { getNamedType, isInterfaceType, isObjectType, isUnionType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { ChangeLevel, ChangeTarget } from '../version/schema-change.entity';
import type { OperationUse, PartnerUse } from '../usage/usage.service';

/** One classified change, as checks, publishes and history report it. */
export interface ClassifiedChange {
  target: ChangeTarget;
  level: ChangeLevel;
  /** @graphql-inspector/core's change type, e.g. FIELD_REMOVED. */
  type: string;
  path?: string;
  message: string;
  /** For breaking changes: the operations of the usage window that would break. */
  usedBy?: OperationUse[];
  /**
   * Partners whose recorded operations use the changed coordinate: the change breaks a partner
   * and no publish may carry it, approved or not (see check.service.ts).
   */
  partners?: string[];
  /** Those recorded operations. */
  partnerOperations?: PartnerUse[];
}

/** Looks up which operations used coordinates in the window; null when usage is not consulted. */
export type UsageLookup = ((coordinates: string[]) => Promise<Map<string, OperationUse[]>>) | null;

/** Looks up the partners' recorded operations using coordinates (whatever the window). */
export type PartnerLookup = (coordinates: string[]) => Promise<Map<string, PartnerUse[]>>;

const LEVEL: Record<CriticalityLevel, ChangeLevel> = {
  [CriticalityLevel.Breaking]: ChangeLevel.breaking,
  [CriticalityLevel.Dangerous]: ChangeLevel.dangerous,
  [CriticalityLevel.NonBreaking]: ChangeLevel.safe,
};

const isComposite = (schema: GraphQLSchema, name: string) => {
  const type = schema.getType(name);
  return isObjectType(type) || isInterfaceType(type);
};

/**
 * The coordinate whose usage decides whether a breaking change hurts anyone, or undefined when
 * usage cannot tell (enum values in responses, input fields sent in variables, …): those stay
 * breaking. Gateways report `Type`, `Type.field` and `Type.field.argument` of what operations
 * select. Inspector's own `considerUsage` rule is not used: it matches paths by prefix (a used
 * `User` would shield `UserConnection`) and asks about the new argument's path when a required
 * argument is added, which no operation can have used yet.
 */
function usageCoordinate(change: Change, before: GraphQLSchema): string | undefined {
  if (!change.path) return undefined;
  const [type, field] = change.path.split('.');
  switch (change.type) {
    case 'FIELD_REMOVED':
    case 'FIELD_TYPE_CHANGED':
    case 'FIELD_ARGUMENT_ADDED':
      return isComposite(before, type) ? `${type}.${field}` : undefined;
    case 'FIELD_ARGUMENT_REMOVED':
    case 'FIELD_ARGUMENT_TYPE_CHANGED':
      return isComposite(before, type) ? change.path : undefined;
    case 'TYPE_REMOVED':
    case 'OBJECT_TYPE_INTERFACE_REMOVED':
      return isComposite(before, type) ? type : undefined;
    default:
      return undefined;
  }
}

/** Object, interface and union types a subscription operation can select, from its root down. */
function subscriptionReach(schema: GraphQLSchema): Set<string> {
  const reach = new Set<string>();
  const root = schema.getSubscriptionType();
  const queue: GraphQLNamedType[] = root ? [root] : [];
  for (let type = queue.pop(); type; type = queue.pop()) {
    if (reach.has(type.name)) continue;
    reach.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) queue.push(getNamedType(field.type));
      if (isInterfaceType(type)) queue.push(...schema.getPossibleTypes(type));
    } else if (isUnionType(type)) {
      queue.push(...type.getTypes());
    }
  }
  return reach;
}

/**
 * Diffs two schemas with @graphql-inspector/core and classes every change breaking, dangerous or
 * safe. A breaking change whose coordinate no operation used in the usage window is downgraded
 * to dangerous; one that operations did use names them. Types subscriptions can select are
 * judged by usage only once gateways report subscription operations (some use of the
 * subscription root in the window): without that, "unused" would only mean "not seen".
 */
export async function classifyChanges(
  target: ChangeTarget,
  before: GraphQLSchema,
  after: GraphQLSchema,
  usage: UsageLookup,
  windowDays: number,
  partnerUsage?: PartnerLookup,
): Promise<ClassifiedChange[]> {
  const changes = await diff(before, after);
  const coordinates = new Map(
    changes.map((c) => [c, c.criticality.level === CriticalityLevel.Breaking ? usageCoordinate(c, before) : undefined]),
  );
  const root = before.getSubscriptionType()?.name;
  const wanted = [...coordinates.values()].filter((c): c is string => !!c);
  const users = usage && wanted.length ? await usage(root ? [...wanted, root] : wanted) : undefined;
  const unseen = root && !users?.get(root)?.length ? subscriptionReach(before) : new Set<string>();
  const partnerUsers = partnerUsage && wanted.length ? await partnerUsage(wanted) : undefined;
  const classified = changes.map((change): ClassifiedChange => {
    const base = { target, type: String(change.type), path: change.path, message: change.message };
    const coordinate = coordinates.get(change);
    if (!users || !coordinate) return { ...base, level: LEVEL[change.criticality.level] };
    if (unseen.has(coordinate.split('.')[0])) {
      return {
        ...base,
        level: ChangeLevel.breaking,
        message: `${change.message} (subscriptions can select ${coordinate}, and no subscription usage was reported)`,
      };
    }
    const usedBy = users.get(coordinate) ?? [];
    if (!usedBy.length) {
      return {
        ...base,
        level: ChangeLevel.dangerous,
        message: `${change.message} (no operation used ${coordinate} in the last ${windowDays} days)`,
      };
    }
    const names = usedBy.map((u) => `${u.name} (${u.count} calls)`).join(', ');
    const message = `${change.message}: ${coordinate} is used by ${usedBy.length} operation(s) in the last ${windowDays} days: ${names}`;
    return { ...base, level: ChangeLevel.breaking, message, usedBy };
  });
  // A partner's recorded operation outweighs the window: the change breaks it however long ago it ran.
  return classified.map((change, i) => {
    const coordinate = coordinates.get(changes[i]);
    const recorded = coordinate ? partnerUsers?.get(coordinate) : undefined;
    if (!coordinate || !recorded?.length) return change;
    const partners = [...new Set(recorded.map((r) => r.partner))];
    const names = recorded.map((r) => `${r.name} (${r.partner})`).join(', ');
    return {
      ...change,
      level: ChangeLevel.breaking,
      message: `${changes[i].message}: ${coordinate} is used by partner operation(s) ${names}`,
      partners,
      partnerOperations: recorded,
    };
  });
}
