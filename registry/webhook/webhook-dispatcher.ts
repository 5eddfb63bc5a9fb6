import http from 'node:http';
import https from 'node:https';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { BrokerMessage, Consumer, MessageBroker } from '../../platform/broker/message-broker';
import type { Logger } from '../../platform/logger';
import { ChangeTarget, SchemaChange } from '../version/schema-change.entity';
import { SchemaVersion } from '../version/schema-version.entity';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import { Webhook } from './webhook.entity';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature } from './signature';
import type { TargetPolicy } from './target-policy';

export interface WebhookDispatcherOptions {
  /** Broker queue; routing key `<queue>.deliver`. */
  queue: string;
  /** Delays before each retry; the attempt after the last one fails the delivery for good. */
  retryDelaysMs: number[];
  /** Per-attempt HTTP timeout. */
  timeoutMs: number;
  /** The registry's public base URL, for the contract link in the notice. */
  publicUrl: () => string;
  /** Which addresses a partner's endpoint may resolve to, checked at every attempt. */
  targets: TargetPolicy;
}

const CONTRACT_UPDATED = 'contract.updated';

/**
 * Sends contract-change notices through the broker: each delivery is one message (id = the
 * delivery id, so redeliveries are recognised), retried with the broker's delays while the
 * partner's endpoint fails, then failed and dead-lettered. The signature is computed per
 * attempt, so its timestamp is always fresh.
 */
export class WebhookDispatcher {
  private consumer?: Consumer;

  constructor(
    private readonly orm: MikroORM,
    private readonly broker: MessageBroker,
    private readonly opts: WebhookDispatcherOptions,
    private readonly logger: Logger,
  ) {}

  private get routingKey() {
    return `${this.opts.queue}.deliver`;
  }

  /** Starts consuming, then queues deliveries a crash left unqueued. */
  async start(): Promise<void> {
    this.consumer = await this.broker.consume<{ deliveryId: string }>(this.opts.queue, (m) => this.handle(m), {
      bindings: [this.routingKey],
      retryDelaysMs: this.opts.retryDelaysMs,
    });
    const stranded = await this.orm.em.fork().find(WebhookDelivery, { queuedAt: null, status: DeliveryStatus.pending }, { fields: ['id'] });
    await this.enqueue(stranded.map((d) => d.id));
  }

  async stop(): Promise<void> {
    await this.consumer?.cancel();
  }

  /** After the publish committed: hand each delivery to the broker. One that fails stays unqueued and is retried at the next start. */
  async enqueue(deliveryIds: string[]): Promise<void> {
    const em = this.orm.em.fork();
    for (const id of deliveryIds) {
      try {
        await this.broker.publish(this.routingKey, { deliveryId: id }, { id });
        await em.nativeUpdate(WebhookDelivery, { id }, { queuedAt: new Date() });
      } catch (err) {
        this.logger.error({ err, deliveryId: id }, 'could not queue a webhook delivery; it is retried at the next start');
      }
    }
  }

  private async handle(message: BrokerMessage<{ deliveryId: string }>): Promise<void> {
    const em = this.orm.em.fork();
    const delivery = await em.findOne(WebhookDelivery, { id: message.payload.deliveryId });
    if (!delivery || delivery.status !== DeliveryStatus.pending) return;
    const webhook = await em.findOne(Webhook, { id: delivery.webhookId });
    if (!webhook || webhook.removedAt) {
      delivery.status = DeliveryStatus.failed;
      delivery.lastError = 'webhook removed';
      await em.flush();
      return;
    }
    const body = JSON.stringify(await this.notice(em, delivery));
    delivery.attempts += 1;
    try {
      await this.post(webhook, delivery.id, body);
      delivery.status = DeliveryStatus.delivered;
      delivery.deliveredAt = new Date();
      delivery.lastError = undefined;
      await em.flush();
    } catch (err) {
      delivery.lastError = (err as Error).message.slice(0, 1000);
      if (message.attempt > this.opts.retryDelaysMs.length) delivery.status = DeliveryStatus.failed;
      await em.flush();
      throw err;
    }
  }

  private async notice(em: EntityManager, delivery: WebhookDelivery) {
    const version = await em.findOneOrFail(
      SchemaVersion,
      { id: delivery.versionId },
      { fields: ['id', 'number', 'createdAt', 'contractHash'] },
    );
    const changes = await em.find(SchemaChange, { versionId: version.id, target: ChangeTarget.contract }, { orderBy: { position: 'asc' } });
    return {
      event: CONTRACT_UPDATED,
      delivery: delivery.id,
      contract: 'partner',
      version: { id: version.id, number: version.number, createdAt: version.createdAt },
      contractHash: version.contractHash ?? null,
      changes: changes.map((c) => ({ level: c.level, type: c.type, path: c.path ?? null, message: c.message })),
      url: `${this.opts.publicUrl()}/v1/contracts/partner`,
    };
  }

  private async post(webhook: Webhook, deliveryId: string, body: string): Promise<void> {
    const url = new URL(webhook.url);
    // Again at every attempt: the name may resolve elsewhere than at registration (DNS rebinding).
    const addresses = await this.opts.targets.addresses(url);
    const timestamp = Math.floor(Date.now() / 1000);
    const status = await new Promise<number>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'manassa-registry',
            [EVENT_HEADER]: CONTRACT_UPDATED,
            [DELIVERY_HEADER]: deliveryId,
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signature(webhook.secret, timestamp, body),
          },
          // Connect to the addresses just checked, never to a fresh resolution (TLS still verifies the name).
          lookup: this.opts.targets.pinnedLookup(addresses),
          // No agent: a kept-alive socket would skip the check on the next delivery.
          agent: false,
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        },
        // Redirects are not followed (node's http never does): partners give the final URL.
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', (err: Error & { code?: string }) =>
        reject(err.name === 'AbortError' ? new Error(`partner endpoint did not answer within ${this.opts.timeoutMs} ms`) : err),
      );
      req.end(body);
    });
    if (status < 200 || status >= 300) throw new Error(`partner endpoint answered HTTP ${status}`);
  }
}
