import type { Feature } from '../../../platform/subgraph/feature';
import { peopleConsumer } from './person.consumer';
import { Person } from './person.entity';
import { personLoaders } from './person.loaders';

/** The read model of people (fed by users' events): names for invoices and checkout pages. */
export const personFeature = {
  entities: [Person],
  loaders: personLoaders,
  consumers: [peopleConsumer],
} satisfies Feature;
