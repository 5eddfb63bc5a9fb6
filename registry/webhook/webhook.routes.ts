import type { MikroORM } from '@mikro-orm/core';
import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from '../http/http-error';
import { principalOf, type RequireScope } from '../token/auth';
import { Scope } from '../token/scopes';
import { webhookView, type WebhookService } from './webhook.service';

const RegisterWebhook = z.object({ url: z.string().url().max(2000) });

/** A partner manages its own webhooks; the signing secret is in the registration answer only. */
export function webhookRoutes(orm: MikroORM, webhooks: WebhookService, requireScope: RequireScope): Router {
  const router = Router();
  router.post('/v1/webhooks', requireScope(Scope.partner), async (req, res) => {
    const { url } = parseBody(RegisterWebhook, req.body);
    const webhook = await webhooks.register(orm.em.fork(), principalOf(res).name, url);
    res.status(201).json({ ...webhookView(webhook), secret: webhook.secret });
  });
  router.get('/v1/webhooks', requireScope(Scope.partner), async (_req, res) => {
    const list = await webhooks.list(orm.em.fork(), principalOf(res).name);
    res.json({ webhooks: list.map((w) => webhookView(w.webhook, w.deliveries)) });
  });
  router.delete('/v1/webhooks/:id', requireScope(Scope.partner), async (req, res) => {
    await webhooks.remove(orm.em.fork(), principalOf(res).name, String(req.params.id));
    res.status(204).end();
  });
  return router;
}
