import type { Feature } from '../../../platform/subgraph/feature';
import { Contact } from './contact.entity';

/** The read model of people with their contact details (fed by users' `user.upserted`). */
export const contactFeature = {
  entities: [Contact],
} satisfies Feature;
