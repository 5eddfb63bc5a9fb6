import { badInput } from '../errors';

/** Ids are UUIDs: anything else names nothing, without a query. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string): boolean => UUID.test(id);

/** `id` in lower case when it is a UUID; BAD_USER_INPUT naming `field` otherwise. */
export function uuidArg(id: string, field: string): string {
  if (!isUuid(id)) throw badInput(`${field} is not a valid id`, field);
  return id.toLowerCase();
}
