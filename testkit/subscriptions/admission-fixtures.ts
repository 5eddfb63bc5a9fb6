import { parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { InternalContext } from '../../platform/auth/internal-context';
import { DEMO } from '../../platform/demo';
import type { BatchAdmission } from '../../gateway/subscriptions/runtime';

/** The batch admission of `liveSessionEvents`, as the gateway's runtime derives it from the supergraph. */
export const liveSessionBatch: BatchAdmission = {
  field: 'liveSessionEventsAdmissions',
  requestsType: '[LiveSessionEventsAdmissionRequest!]!',
  responseKey: 'liveSessionEvents',
  arguments: (
    (parse('subscription($id: ID!) { liveSessionEvents(sessionId: $id) { id } }').definitions[0] as OperationDefinitionNode).selectionSet
      .selections[0] as FieldNode
  ).arguments!,
};

/** Student `i` of the demo school, as a subscriber's viewer context. */
export const demoStudent = (i: number): InternalContext => ({
  tenant: { id: DEMO.schools.demo.id, slug: DEMO.schools.demo.slug },
  user: { id: `student-${i}`, roles: ['STUDENT'] },
});
