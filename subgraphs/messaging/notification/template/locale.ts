import { registerEnumType } from 'type-graphql';

/**
 * The language of a message. The same enum as the users subgraph's `Locale` (`AR`, `EN`, same
 * name): federation merges the two, so they must stay value for value alike.
 */
export enum Locale {
  AR = 'AR',
  EN = 'EN',
}
registerEnumType(Locale, { name: 'Locale' });
