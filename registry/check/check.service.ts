import type { EntityManager } from '@mikro-orm/core';
import { buildSchema } from 'graphql';
import { ErrorCode } from '../../platform/errors';
import { sha256 } from '../../platform/secrets';
import { compose, type Composed } from '../composition/compose';
import type { CompositionError } from '../composition/composition-error';
import type { ProposedSubgraph, SubgraphInput } from '../composition/subgraph-input';
import { HttpError } from '../http/http-error';
import { Subgraph } from '../subgraph/subgraph.entity';
import type { UsageService } from '../usage/usage.service';
import { ChangeLevel, ChangeTarget } from '../version/schema-change.entity';
import { latestVersion } from '../version/latest-version';
import type { SchemaVersion } from '../version/schema-version.entity';
import { classifyChanges, type ClassifiedChange } from './schema-diff';

/** Everything a check finds; a publish acts on it. */
export interface CheckOutcome {
  /** Composes, and nothing breaking. */
  ok: boolean;
  compositionErrors: CompositionError[];
  /** API schema changes, then partner contract changes. */
  changes: ClassifiedChange[];
  breaking: ClassifiedChange[];
  /** Breaking changes a partner's recorded operation uses: no approval lets these through. */
  breaksPartners: ClassifiedChange[];
  /** The proposal equals what is published: a publish would store nothing. */
  unchanged: boolean;
  contractChanged: boolean;
  /** The proposed subgraphs with their URLs resolved. */
  proposal: SubgraphInput[];
  head: SchemaVersion | null;
  composed?: Composed;
}

/** The views of a check that go over the wire (internals such as schemas stay here). */
export const checkView = (o: CheckOutcome) => ({
  ok: o.ok,
  unchanged: o.unchanged,
  compositionErrors: o.compositionErrors,
  breaking: o.breaking,
  breaksPartners: o.breaksPartners.map((c) => ({ path: c.path, target: c.target, partners: c.partners })),
  changes: o.changes,
  contractChanged: o.contractChanged,
  basedOnVersion: o.head ? { id: o.head.id, number: o.head.number } : null,
});

/**
 * A check: the proposed subgraphs replace their published versions, the set is composed, and
 * the new API schema and partner contract are diffed against the latest version's, with usage
 * deciding which removals break someone. Nothing is stored.
 */
export class CheckService {
  constructor(private readonly usage: UsageService) {}

  /** `forPublish`: a new subgraph needs its routing URL (a check composes with a placeholder). */
  async check(em: EntityManager, proposed: ProposedSubgraph[], forPublish = false): Promise<CheckOutcome> {
    const names = proposed.map((p) => p.name);
    if (new Set(names).size !== names.length) throw new HttpError(ErrorCode.BAD_USER_INPUT, 'Each subgraph may be proposed once');
    const current = await em.find(Subgraph, {}, { orderBy: { name: 'asc' } });
    const byName = new Map(current.map((s) => [s.name, s]));
    const proposal = proposed.map((p) => {
      const url = p.url ?? byName.get(p.name)?.url ?? (forPublish ? undefined : `http://${p.name}.invalid/graphql`);
      if (!url) throw new HttpError(ErrorCode.BAD_USER_INPUT, `${p.name} is a new subgraph: give its routing url`);
      return { name: p.name, sdl: p.sdl, url };
    });
    // Everything a check and an unchanged publish report, but not the supergraph: it is only served.
    const head = await latestVersion(em, { exclude: ['supergraphSdl'] });
    const unchanged = !!head && proposal.every((p) => byName.get(p.name)?.sdlHash === sha256(p.sdl) && byName.get(p.name)?.url === p.url);

    const set = new Map<string, SubgraphInput>(current.map((s) => [s.name, { name: s.name, sdl: s.sdl, url: s.url }]));
    for (const p of proposal) set.set(p.name, p);
    const composition = compose([...set.values()]);
    const base = { proposal, head, unchanged };
    if (!composition.ok) {
      return {
        ...base,
        ok: false,
        compositionErrors: composition.errors,
        changes: [],
        breaking: [],
        breaksPartners: [],
        contractChanged: false,
      };
    }
    const composed = composition.composed;
    const changes = head ? await this.diff(em, head, composed) : [];
    const breaking = changes.filter((c) => c.level === ChangeLevel.breaking);
    return {
      ...base,
      ok: breaking.length === 0,
      compositionErrors: [],
      changes,
      breaking,
      breaksPartners: breaking.filter((c) => c.partners?.length),
      contractChanged: (head?.contractHash ?? null) !== (composed.contract?.hash ?? null),
      composed,
    };
  }

  private async diff(em: EntityManager, head: SchemaVersion, composed: Composed): Promise<ClassifiedChange[]> {
    const window = this.usage.windowDays;
    const lookup = window ? (coordinates: string[]) => this.usage.usersOf(em, coordinates) : null;
    const partners = (coordinates: string[]) => this.usage.partnerUsersOf(em, coordinates);
    const api = await classifyChanges(ChangeTarget.api, buildSchema(head.apiSdl), composed.api, lookup, window, partners);
    const before = head.contractSdl ? buildSchema(head.contractSdl) : null;
    const after = composed.contract?.schema ?? null;
    if (before && after) return [...api, ...(await classifyChanges(ChangeTarget.contract, before, after, lookup, window, partners))];
    if (!before && after)
      return [
        ...api,
        { target: ChangeTarget.contract, level: ChangeLevel.safe, type: 'CONTRACT_CREATED', message: 'The partner contract was created' },
      ];
    if (before && !after) {
      const recorded = await this.usage.partnerOperations(em);
      const partners = [...new Set(recorded.map((r) => r.partner))];
      return [
        ...api,
        {
          target: ChangeTarget.contract,
          level: ChangeLevel.breaking,
          type: 'CONTRACT_REMOVED',
          message: 'The partner contract was removed: nothing is tagged "partner" any more',
          ...(partners.length ? { partners } : {}),
        },
      ];
    }
    return api;
  }
}
