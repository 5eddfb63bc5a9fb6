import type { Feature } from '../../../platform/subgraph/feature';
import { contactsConsumer } from './contact.consumer';
import { Contact } from './contact.entity';
import { contactLoaders } from './contact.loaders';

/** The read model of people with their contact details (fed by users' `user.upserted`; filled at first start by a people backfill, backfill.ts). */
export const contactFeature = {
  entities: [Contact],
  loaders: contactLoaders,
  consumers: [contactsConsumer],
} satisfies Feature;
