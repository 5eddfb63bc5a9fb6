import type { Feature } from '../../../platform/subgraph/feature';
import { Person } from './person.entity';
import { peopleConsumer } from './person.consumer';
import { personLoaders } from './person.loaders';

/**
 * The read model of people (fed by users' events): who may be enrolled, who may teach, whose rows a
 * view can show. Design, backfill and clean-up: docs/people-read-model.md.
 */
export const personFeature = {
  entities: [Person],
  loaders: personLoaders,
  consumers: [peopleConsumer],
} satisfies Feature;
