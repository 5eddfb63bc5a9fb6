import type { EntityManager } from '@mikro-orm/core';
import { ErrorCode } from '../../platform/errors';
import { HttpError } from '../http/http-error';
import { WebhookDelivery } from './webhook-delivery.entity';
import { Webhook } from './webhook.entity';
import { newWebhookSecret } from './signature';
import { ForbiddenTargetError, type TargetPolicy } from './target-policy';

/** A partner's webhook without its secret (that is shown once, at registration). */
export const webhookView = (w: Webhook, deliveries: WebhookDelivery[] = []) => ({
  id: w.id,
  url: w.url,
  createdAt: w.createdAt,
  deliveries: deliveries.map((d) => ({
    id: d.id,
    versionId: d.versionId,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError ?? null,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt ?? null,
  })),
});

/** Partners' webhooks: registration, listing, removal, and the deliveries a contract change owes them. */
export class WebhookService {
  constructor(
    /** Accept http:// endpoints (local development); production requires https. */
    private readonly allowHttp: boolean,
    /** Which addresses a target may resolve to (production: public ones only); checked again at every delivery. */
    private readonly targets: TargetPolicy,
  ) {}

  async register(em: EntityManager, partner: string, url: string): Promise<Webhook> {
    const parsed = new URL(url);
    const schemes = this.allowHttp ? ['https:', 'http:'] : ['https:'];
    if (!schemes.includes(parsed.protocol)) throw new HttpError(ErrorCode.BAD_USER_INPUT, `Webhook URL must use ${schemes.join(' or ')}`);
    if (parsed.username || parsed.password) throw new HttpError(ErrorCode.BAD_USER_INPUT, 'Webhook URL must not carry credentials');
    if (!this.targets.allowPrivate) {
      try {
        await this.targets.addresses(parsed);
      } catch (err) {
        if (!(err instanceof ForbiddenTargetError)) throw err;
        throw new HttpError(ErrorCode.BAD_USER_INPUT, `Webhook URL refused: ${err.message}; give a public endpoint`);
      }
    }
    const webhook = em.create(Webhook, { partner, url: parsed.toString(), secret: newWebhookSecret() });
    await em.flush();
    return webhook;
  }

  /** The partner's live webhooks, each with its latest deliveries (newest first). */
  async list(em: EntityManager, partner: string, deliveriesEach = 10): Promise<Array<{ webhook: Webhook; deliveries: WebhookDelivery[] }>> {
    const hooks = await em.find(Webhook, { partner, removedAt: null }, { orderBy: { createdAt: 'asc' } });
    return Promise.all(
      hooks.map(async (webhook) => ({
        webhook,
        deliveries: await em.find(WebhookDelivery, { webhookId: webhook.id }, { orderBy: { createdAt: 'desc' }, limit: deliveriesEach }),
      })),
    );
  }

  async remove(em: EntityManager, partner: string, id: string): Promise<void> {
    const webhook = await em.findOne(Webhook, { id, partner, removedAt: null });
    if (!webhook) throw new HttpError(ErrorCode.NOT_FOUND, 'Webhook not found');
    webhook.removedAt = new Date();
    await em.flush();
  }

  /** Inside the publish transaction: one pending delivery per live webhook. */
  async planDeliveries(tx: EntityManager, versionId: string): Promise<WebhookDelivery[]> {
    const hooks = await tx.find(Webhook, { removedAt: null });
    return hooks.map((h) => tx.create(WebhookDelivery, { webhookId: h.id, versionId }));
  }
}
