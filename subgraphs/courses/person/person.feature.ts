import { Person } from '../../../platform/people/person.entity';
import { peopleConsumer, personLoaders } from '../../../platform/people/read-models';
import type { Feature } from '../../../platform/subgraph/feature';
import './person.loaders';

/**
 * The read model of people (fed by users' events): who may be enrolled, who may teach, whose rows a
 * view can show. Design, backfill and clean-up: docs/people-read-model.md.
 */
export const personFeature = {
  entities: [Person],
  loaders: personLoaders,
  consumers: [peopleConsumer('courses')],
} satisfies Feature;
