import type { SubgraphManifest } from '../platform/subgraph/manifest';
import { billingSubgraph } from './billing/app';
import { coursesSubgraph } from './courses/app';
import { messagingSubgraph } from './messaging/app';
import { usersSubgraph } from './users/app';
import { analyticsSubgraph } from './analytics/app';

export type { SubgraphManifest as SubgraphEntry } from '../platform/subgraph/manifest';

/**
 * Every subgraph of the platform, once: the start scripts, databases, migrations, schema
 * artifacts, the test stack and the deployment checks all read this list. In start order: users
 * first (the gateway resolves tenants and verifies tokens through it). Adding a subgraph: one
 * folder whose app.ts exports its manifest, and one line here (README "Adding a subgraph").
 */
export const subgraphs: SubgraphManifest[] = [usersSubgraph, coursesSubgraph, billingSubgraph, messagingSubgraph, analyticsSubgraph];

/** The catalog entry of `name`, or an error naming the known ones. */
export function subgraph(name: string): SubgraphManifest {
  const entry = subgraphs.find((s) => s.name === name);
  if (!entry) throw new Error(`no subgraph "${name}" in the catalog (${subgraphs.map((s) => s.name).join(', ')})`);
  return entry;
}
