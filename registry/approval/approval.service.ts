import type { EntityManager } from '@mikro-orm/core';
import type { ClassifiedChange } from '../check/schema-diff';
import { proposalHash, type SubgraphInput } from '../composition/subgraph-input';
import { Approval } from './approval.entity';

/** How an approval names a change: stable across checks of the same proposal. */
const changeKey = (c: ClassifiedChange) => `${c.target}:${c.type} ${c.path ?? ''}`.trim();

export const approvalView = (a: Approval) => ({
  id: a.id,
  subgraphs: a.subgraphs.split(','),
  changes: a.changes.split('\n').filter(Boolean),
  reason: a.reason,
  approvedBy: a.approvedBy,
  createdAt: a.createdAt,
  versionId: a.versionId ?? null,
});

/**
 * Approvals of breaking changes. One covers exactly one proposal (its names, URLs and SDLs) and
 * the breaking changes seen when it was given; it is consumed by the version it lets through.
 */
export class ApprovalService {
  record(em: EntityManager, proposal: SubgraphInput[], breaking: ClassifiedChange[], reason: string, by: string): Approval {
    return em.create(Approval, {
      proposalHash: proposalHash(proposal),
      subgraphs: proposal.map((p) => p.name).join(','),
      changes: [...new Set(breaking.map(changeKey))].join('\n'),
      reason,
      approvedBy: by,
    });
  }

  /** An unused approval of this proposal covering every one of `breaking`, if any. */
  async find(em: EntityManager, proposal: SubgraphInput[], breaking: ClassifiedChange[]): Promise<Approval | undefined> {
    const candidates = await em.find(
      Approval,
      { proposalHash: proposalHash(proposal), versionId: null },
      { orderBy: { createdAt: 'desc' } },
    );
    const wanted = breaking.map(changeKey);
    return candidates.find((a) => {
      const covered = new Set(a.changes.split('\n'));
      return wanted.every((k) => covered.has(k));
    });
  }

  list(em: EntityManager, limit: number): Promise<Approval[]> {
    return em.find(Approval, {}, { orderBy: { createdAt: 'desc' }, limit });
  }
}
