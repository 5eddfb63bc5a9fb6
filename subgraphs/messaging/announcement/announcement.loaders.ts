import { raw } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import DataLoader from 'dataloader';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { DeliveryStatus, Notification } from '../notification/notification.entity';

export type DeliveryCounts = Record<DeliveryStatus, number>;

const zero = (): DeliveryCounts => Object.fromEntries(Object.values(DeliveryStatus).map((s) => [s, 0])) as DeliveryCounts;

/** The announcement feature's per-request loaders (tenant-scoped, one query per tick). */
export function announcementLoaders({ em }: LoaderContext) {
  return {
    /**
     * How the notifications of each announcement stand, counted by status: one grouped query for
     * a whole page of announcements, not one per announcement.
     */
    announcementDeliveries: new DataLoader<string, DeliveryCounts>(async (ids) => {
      const qb = (em as SqlEntityManager)
        .createQueryBuilder(Notification, 'n')
        .select(['n.announcementId', 'n.status', raw('count(*) as n')])
        .where({ announcementId: { $in: [...ids] } })
        .groupBy(['n.announcementId', 'n.status']);
      // The QueryBuilder applies no filter unless asked; the tenant's must hold for every query.
      await qb.applyFilters();
      const counts = new Map(ids.map((id) => [id, zero()]));
      for (const row of await qb.execute<Array<{ announcementId: string; status: DeliveryStatus; n: number | string }>>('all', true)) {
        const of = counts.get(row.announcementId);
        if (of) of[row.status] = Number(row.n);
      }
      return ids.map((id) => counts.get(id)!);
    }),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface MessagingLoaders extends ReturnType<typeof announcementLoaders> {}
}
