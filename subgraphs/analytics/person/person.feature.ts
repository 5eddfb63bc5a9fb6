import { Person } from '../../../platform/people/person.entity';
import { peopleConsumer, personLoaders } from '../../../platform/people/read-models';
import type { Feature } from '../../../platform/subgraph/feature';
import './person.loaders';

/** The read model of people (fed by users' `user.upserted`): the students' and payers' names in report exports. */
export const personFeature = {
  entities: [Person],
  loaders: personLoaders,
  consumers: [peopleConsumer('analytics')],
} satisfies Feature;
