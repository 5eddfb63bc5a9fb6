import { randomUUID } from 'node:crypto';
import { raw, type EntityManager } from '@mikro-orm/core';
// Both SQL drivers we run on re-export the knex layer; its EntityManager has the query builder.
import type { SqlEntityManager } from '@mikro-orm/mysql';
import { z } from 'zod';
import { OperationField } from './operation-field.entity';
import { OperationUsage } from './operation-usage.entity';
import { Operation } from './operation.entity';
import { PartnerOperation } from './partner-operation.entity';

/** What a gateway posts: each operation it sampled since its last report, with the coordinates it uses. */
export const UsageReport = z.object({
  operations: z
    .array(
      z.object({
        /** Stable hash of the operation (document + name), computed by the gateway. */
        id: z.string().regex(/^[0-9a-f]{16,64}$/),
        name: z.string().max(200).nullish(),
        client: z.string().max(100).optional(),
        /** Set by the gateway for calls with a partner's API key (then also the client name): recorded whatever the window. */
        partner: z.string().max(100).optional(),
        count: z.number().int().min(1),
        /** `Type`, `Type.field`, `Type.field.argument` and `Input.field` coordinates. */
        fields: z.array(z.string().max(300)).max(2000),
      }),
    )
    .max(5000),
});
export type UsageReport = z.infer<typeof UsageReport>;

/** One operation that used a coordinate within the window. */
export interface OperationUse {
  id: string;
  /** The operation's name, or "(anonymous <id prefix>)". */
  name: string;
  count: number;
  clients: string[];
}

/** A partner's recorded operation that uses a coordinate. */
export interface PartnerUse {
  id: string;
  name: string;
  partner: string;
  lastSeenAt: Date;
}

const CHUNK = 500;
const chunks = <T>(rows: T[]) => Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Field usage reported by gateways, kept for the usage window: which operations use which
 * coordinates, and how often each operation ran. Checks ask it who would break.
 */
export class UsageService {
  private lastPrune = 0;

  constructor(
    /** Days a check looks back; rows older than that are pruned. 0 = usage is not kept or consulted. */
    readonly windowDays: number,
  ) {}

  async record(em: EntityManager, report: UsageReport, now = new Date()): Promise<void> {
    // Partners' operations are a record kept whatever the window; the rest only counts within one.
    const kept = this.windowDays ? report.operations : report.operations.filter((o) => o.partner);
    if (!kept.length) return;
    const sql = em as SqlEntityManager;
    await sql.transactional(async (tx) => {
      const ops = kept.map((o) => ({ id: o.id, name: o.name ?? undefined, firstSeenAt: now }));
      for (const rows of chunks(ops)) await tx.createQueryBuilder(Operation).insert(rows).onConflict('id').ignore().execute();
      const fields = kept.flatMap((o) => [...new Set(o.fields)].map((coordinate) => ({ id: randomUUID(), operationId: o.id, coordinate })));
      for (const rows of chunks(fields))
        await tx.createQueryBuilder(OperationField).insert(rows).onConflict(['operationId', 'coordinate']).ignore().execute();
      if (this.windowDays) {
        const usage = kept.map((o) => ({
          id: randomUUID(),
          operationId: o.id,
          client: o.client || 'unknown',
          count: o.count,
          reportedAt: now,
        }));
        for (const rows of chunks(usage)) await tx.createQueryBuilder(OperationUsage).insert(rows).execute();
      }
      const partnerRows = new Map<string, { id: string; partner: string; operationId: string; firstSeenAt: Date; lastSeenAt: Date }>();
      for (const o of kept) {
        if (o.partner)
          partnerRows.set(`${o.partner}\n${o.id}`, {
            id: randomUUID(),
            partner: o.partner,
            operationId: o.id,
            firstSeenAt: now,
            lastSeenAt: now,
          });
      }
      for (const rows of chunks([...partnerRows.values()]))
        await tx.createQueryBuilder(PartnerOperation).insert(rows).onConflict(['partner', 'operationId']).merge(['lastSeenAt']).execute();
    });
    if (this.windowDays) await this.pruneHourly(em, now);
  }

  /** For each coordinate, the partners' recorded operations that use it (whatever the window). */
  async partnerUsersOf(em: EntityManager, coordinates: string[]): Promise<Map<string, PartnerUse[]>> {
    const result = new Map<string, PartnerUse[]>();
    if (!coordinates.length) return result;
    const links = await em.find(OperationField, { coordinate: { $in: [...new Set(coordinates)] } });
    const opIds = [...new Set(links.map((l) => l.operationId))];
    if (!opIds.length) return result;
    const recorded = await em.find(PartnerOperation, { operationId: { $in: opIds } }, { orderBy: { partner: 'asc' } });
    if (!recorded.length) return result;
    const names = await this.namesOf(em, opIds);
    for (const link of links) {
      for (const r of recorded.filter((p) => p.operationId === link.operationId)) {
        const use = { id: r.operationId, name: names.get(r.operationId)!, partner: r.partner, lastSeenAt: r.lastSeenAt };
        result.set(link.coordinate, [...(result.get(link.coordinate) ?? []), use]);
      }
    }
    return result;
  }

  /**
   * Usage per client in the window (`client` narrows it to one): each operation with its count,
   * most used first. Partners' calls are reported under the partner's name.
   */
  async byClient(em: EntityManager, client?: string, now = new Date()) {
    const rows: Array<{ operation_id: string; client: string; total: number | string }> = this.windowDays
      ? await (em as SqlEntityManager)
          .createQueryBuilder(OperationUsage, 'u')
          .select(['u.operationId', 'u.client', raw('sum(u.count) as total')])
          .where({ reportedAt: { $gte: this.windowStart(now) }, ...(client ? { client } : {}) })
          .groupBy(['u.operationId', 'u.client'])
          .execute('all', false)
      : [];
    const names = await this.namesOf(em, [...new Set(rows.map((r) => r.operation_id))]);
    const clients = new Map<string, Array<{ id: string; name: string; count: number }>>();
    for (const row of rows) {
      const list = clients.get(row.client) ?? [];
      list.push({ id: row.operation_id, name: names.get(row.operation_id)!, count: Number(row.total) });
      clients.set(row.client, list);
    }
    return [...clients]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, operations]) => ({
        client: name,
        count: operations.reduce((sum, o) => sum + o.count, 0),
        operations: operations.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      }));
  }

  /** The partners' recorded operations with the coordinates they use (`partner` narrows it to one). */
  async partnerOperations(em: EntityManager, partner?: string) {
    const recorded = await em.find(PartnerOperation, partner ? { partner } : {}, { orderBy: { partner: 'asc', firstSeenAt: 'asc' } });
    const opIds = [...new Set(recorded.map((r) => r.operationId))];
    const names = await this.namesOf(em, opIds);
    const fields = opIds.length ? await em.find(OperationField, { operationId: { $in: opIds } }, { orderBy: { coordinate: 'asc' } }) : [];
    return recorded.map((r) => ({
      partner: r.partner,
      id: r.operationId,
      name: names.get(r.operationId)!,
      firstSeenAt: r.firstSeenAt,
      lastSeenAt: r.lastSeenAt,
      fields: fields.filter((f) => f.operationId === r.operationId).map((f) => f.coordinate),
    }));
  }

  /** Forgets a partner's recorded operation (once the partner no longer sends it); false when there is none. */
  async retirePartnerOperation(em: EntityManager, partner: string, operationId: string): Promise<boolean> {
    return (await em.nativeDelete(PartnerOperation, { partner, operationId })) > 0;
  }

  private async namesOf(em: EntityManager, opIds: string[]): Promise<Map<string, string>> {
    const ops = opIds.length ? await em.find(Operation, { id: { $in: opIds } }) : [];
    const names = new Map(ops.map((o) => [o.id, o.name ?? `(anonymous ${o.id.slice(0, 12)})`]));
    for (const id of opIds) if (!names.has(id)) names.set(id, `(anonymous ${id.slice(0, 12)})`);
    return names;
  }

  /** For each coordinate, the operations that used it in the window (most used first). */
  async usersOf(em: EntityManager, coordinates: string[], now = new Date()): Promise<Map<string, OperationUse[]>> {
    const result = new Map<string, OperationUse[]>();
    if (!this.windowDays || !coordinates.length) return result;
    const links = await em.find(OperationField, { coordinate: { $in: [...new Set(coordinates)] } });
    const opIds = [...new Set(links.map((l) => l.operationId))];
    if (!opIds.length) return result;

    const rows: Array<{ operation_id: string; client: string; total: number | string }> = await (em as SqlEntityManager)
      .createQueryBuilder(OperationUsage, 'u')
      .select(['u.operationId', 'u.client', raw('sum(u.count) as total')])
      .where({ operationId: { $in: opIds }, reportedAt: { $gte: this.windowStart(now) } })
      .groupBy(['u.operationId', 'u.client'])
      .execute('all', false);
    const names = new Map((await em.find(Operation, { id: { $in: opIds } })).map((o) => [o.id, o.name]));
    const uses = new Map<string, OperationUse>();
    for (const row of rows) {
      const id = row.operation_id;
      const use = uses.get(id) ?? { id, name: names.get(id) ?? `(anonymous ${id.slice(0, 12)})`, count: 0, clients: [] };
      use.count += Number(row.total);
      use.clients.push(row.client);
      uses.set(id, use);
    }
    for (const link of links) {
      const use = uses.get(link.operationId);
      if (!use) continue;
      result.set(link.coordinate, [...(result.get(link.coordinate) ?? []), use]);
    }
    for (const list of result.values()) list.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    return result;
  }

  private windowStart(now: Date): Date {
    return new Date(now.getTime() - this.windowDays * 86_400_000);
  }

  /** Drops counts that fell out of the window; at most once an hour, piggybacking on reports. */
  private async pruneHourly(em: EntityManager, now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < 3_600_000) return;
    this.lastPrune = now.getTime();
    await em.nativeDelete(OperationUsage, { reportedAt: { $lt: this.windowStart(now) } });
  }
}
