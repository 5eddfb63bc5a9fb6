import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../../platform/errors';
import { approvalView, type ApprovalService } from '../approval/approval.service';
import { checkView, type CheckService } from '../check/check.service';
import { ProposedSubgraph } from '../composition/subgraph-input';
import { HttpError, parseBody } from '../http/http-error';
import { principalOf, type RequireScope } from '../token/auth';
import { grants, Scope } from '../token/scopes';
import { versionSummary } from '../version/version.view';
import type { PublishService } from './publish.service';

const Proposal = z.object({ subgraphs: z.array(ProposedSubgraph).min(1).max(100) });
const Publish = Proposal.extend({
  message: z.string().max(1000).optional(),
  /** Who or what published, beyond the token (a person, a commit). */
  author: z.string().max(100).optional(),
  approve: z.object({ reason: z.string().min(3).max(1000) }).optional(),
  /** Publish even if a subgraph does not serve the proposed SDL at its routing URL, or cannot be reached (recorded on the version). */
  force: z.boolean().optional(),
});
const Approve = Proposal.extend({ reason: z.string().min(3).max(1000) });

/** check (publish scope), publish (publish scope; `approve` also needs approve), approvals. */
export function publishRoutes(
  orm: MikroORM,
  checks: CheckService,
  publisher: PublishService,
  approvals: ApprovalService,
  requireScope: RequireScope,
): Router {
  const router = Router();

  router.post('/v1/check', requireScope(Scope.publish), async (req, res) => {
    const { subgraphs } = parseBody(Proposal, req.body);
    res.json(checkView(await checks.check(orm.em.fork(), subgraphs)));
  });

  router.post('/v1/publish', requireScope(Scope.publish), async (req, res) => {
    const input = parseBody(Publish, req.body);
    const principal = principalOf(res);
    if (input.approve && !grants(principal.scopes, Scope.approve))
      throw new HttpError(ErrorCode.FORBIDDEN, 'Approving breaking changes needs the approve scope');
    const author = input.author ? `${principal.name} (${input.author})` : principal.name;
    const result = await publisher.publish({
      subgraphs: input.subgraphs,
      author,
      message: input.message,
      approve: input.approve && { reason: input.approve.reason, by: principal.name },
      force: input.force,
    });
    const check = checkView(result.outcome);
    switch (result.status) {
      case 'published':
        res.status(201).json({
          status: result.status,
          version: versionSummary(result.version),
          approvalId: result.approvalId ?? null,
          served: result.served,
          ...check,
        });
        return;
      case 'unchanged':
        res.status(200).json({ status: result.status, version: versionSummary(result.version), ...check });
        return;
      case 'composition_failed':
        res.status(422).json({ status: result.status, ...check });
        return;
      case 'breaking':
        res.status(409).json({ status: result.status, ...check });
        return;
      case 'not_served':
        res.status(409).json({ status: result.status, served: result.served, ...check });
    }
  });

  router.post('/v1/approvals', requireScope(Scope.approve), async (req, res) => {
    const input = parseBody(Approve, req.body);
    const em = orm.em.fork();
    // Resolved as a publish would, so the approval matches the publish's proposal exactly.
    const outcome = await checks.check(em, input.subgraphs, true);
    if (outcome.compositionErrors.length) {
      res.status(422).json({ status: 'composition_failed', ...checkView(outcome) });
      return;
    }
    if (!outcome.breaking.length) throw new HttpError(ErrorCode.BAD_USER_INPUT, 'Nothing to approve: the proposal has no breaking change');
    // Breaking a partner's recorded operation is not the schema owners' call: refused, nothing recorded.
    if (outcome.breaksPartners.length) {
      res.status(409).json({ status: 'breaks_partners', ...checkView(outcome) });
      return;
    }
    const approval = approvals.record(em, outcome.proposal, outcome.breaking, input.reason, principalOf(res).name);
    await em.flush();
    res.status(201).json(approvalView(approval));
  });

  router.get('/v1/approvals', requireScope(Scope.read), async (req, res) => {
    const limit = Math.min(Number(req.query.limit) || 50, 500);
    res.json({ approvals: (await approvals.list(orm.em.fork(), limit)).map(approvalView) });
  });
  return router;
}
