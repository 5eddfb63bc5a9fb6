import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { serialQueue } from '../../platform/async';
import { ErrorCode } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { ApprovalService } from '../approval/approval.service';
import type { CheckOutcome, CheckService } from '../check/check.service';
import { sha256 } from '../../platform/secrets';
import type { ProposedSubgraph } from '../composition/subgraph-input';
import { HttpError } from '../http/http-error';
import { Subgraph } from '../subgraph/subgraph.entity';
import { SchemaChange } from '../version/schema-change.entity';
import { SchemaVersion } from '../version/schema-version.entity';
import type { WebhookDispatcher } from '../webhook/webhook-dispatcher';
import type { WebhookService } from '../webhook/webhook.service';
import { servedSummary, type ServedCheck, type ServedSdl } from './served-sdl';

export interface PublishRequest {
  subgraphs: ProposedSubgraph[];
  /** Token name of the publisher, plus who they say they are (`--author`). */
  author: string;
  message?: string;
  /** Approve the breaking changes found (the caller holds the approve scope). */
  approve?: { reason: string; by: string };
  /** Publish even though a subgraph does not serve the proposed SDL (or cannot be reached); recorded on the version. */
  force?: boolean;
}

export type PublishResult =
  | { status: 'published'; version: SchemaVersion; outcome: CheckOutcome; approvalId?: string; served: ServedCheck[] }
  | { status: 'unchanged'; version: SchemaVersion; outcome: CheckOutcome }
  | { status: 'composition_failed' | 'breaking'; outcome: CheckOutcome }
  | { status: 'not_served'; outcome: CheckOutcome; served: ServedCheck[] };

/**
 * Publishing: a check, then (if it composes and is not breaking, or is approved, and each
 * published subgraph serves the proposed SDL at its routing URL, or the publish is forced) a new version
 * with its changelog, the subgraphs' new SDLs, and the webhook deliveries the contract change
 * owes partners, in one transaction. Publishes of this process run one at a time (each builds on
 * the latest version); another replica racing us loses on the unique version number.
 */
export class PublishService {
  private readonly oneAtATime = serialQueue();

  constructor(
    private readonly orm: MikroORM,
    private readonly checks: CheckService,
    private readonly approvals: ApprovalService,
    private readonly webhooks: WebhookService,
    private readonly dispatcher: WebhookDispatcher,
    private readonly served: ServedSdl,
    private readonly logger: Logger,
  ) {}

  publish(request: PublishRequest): Promise<PublishResult> {
    return this.oneAtATime(() => this.publishNow(request));
  }

  private async publishNow(request: PublishRequest): Promise<PublishResult> {
    const outcome = await this.checks.check(this.orm.em.fork(), request.subgraphs, true);
    if (outcome.compositionErrors.length) return { status: 'composition_failed', outcome };
    if (outcome.unchanged && outcome.head) return { status: 'unchanged', version: outcome.head, outcome };
    // A partner's recorded operation would break: refused whatever approvals or the usage window say.
    if (outcome.breaksPartners.length) return { status: 'breaking', outcome };
    const em = this.orm.em.fork();
    let approval = outcome.breaking.length ? await this.approvals.find(em, outcome.proposal, outcome.breaking) : undefined;
    if (outcome.breaking.length && !approval && !request.approve) return { status: 'breaking', outcome };
    // Last, as it is the one step that calls out: what is refused anyway never reaches a subgraph.
    const served = await this.served.check(outcome.proposal);
    const mismatch = served.some((c) => !c.ok);
    if (mismatch && !request.force) return { status: 'not_served', outcome, served };
    const forced = mismatch ? servedSummary(served) : undefined;
    if (forced) this.logger.warn({ forced, author: request.author }, 'publish forced past what the subgraphs serve');

    let deliveries: string[] = [];
    let version: SchemaVersion;
    try {
      version = await em.transactional(async (tx) => {
        if (!approval && request.approve && outcome.breaking.length)
          approval = this.approvals.record(tx, outcome.proposal, outcome.breaking, request.approve.reason, request.approve.by);
        const created = this.writeVersion(tx, outcome, request, approval?.id, forced);
        if (approval) approval.versionId = created.id;
        if (outcome.contractChanged) deliveries = (await this.webhooks.planDeliveries(tx, created.id)).map((d) => d.id);
        await this.writeSubgraphs(tx, outcome, created.number);
        return created;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw new HttpError(ErrorCode.CONFLICT, 'Another publish landed first; run it again');
      throw err;
    }
    this.logger.info(
      { version: version.number, hash: version.hash.slice(0, 12), subgraphs: version.subgraphs, author: version.author },
      'schema version published',
    );
    await this.dispatcher.enqueue(deliveries);
    return { status: 'published', version, outcome, approvalId: approval?.id, served };
  }

  private writeVersion(
    tx: EntityManager,
    outcome: CheckOutcome,
    request: PublishRequest,
    approvalId: string | undefined,
    forced: string | undefined,
  ): SchemaVersion {
    const composed = outcome.composed!;
    const version = tx.create(SchemaVersion, {
      number: (outcome.head?.number ?? 0) + 1,
      hash: composed.hash,
      supergraphSdl: composed.supergraphSdl,
      apiSdl: composed.apiSdl,
      contractSdl: composed.contract?.sdl,
      contractHash: composed.contract?.hash,
      subgraphs: outcome.proposal.map((p) => p.name).join(','),
      author: request.author.slice(0, 200),
      message: request.message?.slice(0, 1000),
      approvalId,
      forced: forced?.slice(0, 1000),
    });
    outcome.changes.forEach((c, position) =>
      tx.create(SchemaChange, {
        versionId: version.id,
        position,
        target: c.target,
        level: c.level,
        type: c.type,
        path: c.path?.slice(0, 500),
        message: c.message.slice(0, 1000),
      }),
    );
    return version;
  }

  private async writeSubgraphs(tx: EntityManager, outcome: CheckOutcome, versionNumber: number): Promise<void> {
    const rows = await tx.find(Subgraph, { name: { $in: outcome.proposal.map((p) => p.name) } });
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const p of outcome.proposal) {
      const published = { url: p.url, sdl: p.sdl, sdlHash: sha256(p.sdl), versionNumber };
      const row = byName.get(p.name);
      if (row) Object.assign(row, published, { updatedAt: new Date() });
      else tx.create(Subgraph, { name: p.name, ...published });
    }
  }
}
