import type { EntityManager } from '@mikro-orm/core';
import { opaqueToken, sha256 } from '../../platform/secrets';
import { PartnerKey } from './partner-key.entity';

/** Prefixed so secret scanners can recognise a leaked key (and tell it from a registry token, `mreg_`). */
const newKey = () => opaqueToken('mpk_');

/** Requests per minute of a key issued without a rate. */
export const DEFAULT_PARTNER_RATE_PER_MINUTE = 600;

export const partnerKeyView = (k: PartnerKey) => ({
  id: k.id,
  partner: k.partner,
  school: k.school,
  ratePerMinute: k.ratePerMinute,
  createdBy: k.createdBy,
  createdAt: k.createdAt,
  revokedAt: k.revokedAt ?? null,
});

/** What a gateway needs of a live key: no plaintext exists anywhere after issue. */
export const liveKeyView = (k: PartnerKey) => ({
  id: k.id,
  hash: k.keyHash,
  partner: k.partner,
  school: k.school,
  ratePerMinute: k.ratePerMinute,
});

export class PartnerKeyService {
  async issue(
    em: EntityManager,
    input: { partner: string; school: string; ratePerMinute?: number },
    createdBy: string,
  ): Promise<{ key: string; row: PartnerKey }> {
    const key = newKey();
    const row = em.create(PartnerKey, {
      partner: input.partner,
      school: input.school,
      ratePerMinute: input.ratePerMinute ?? DEFAULT_PARTNER_RATE_PER_MINUTE,
      keyHash: sha256(key),
      createdBy,
    });
    await em.flush();
    return { key, row };
  }

  list(em: EntityManager, partner?: string): Promise<PartnerKey[]> {
    return em.find(PartnerKey, partner ? { partner } : {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  live(em: EntityManager): Promise<PartnerKey[]> {
    return em.find(PartnerKey, { revokedAt: null }, { orderBy: { id: 'asc' } });
  }

  /** False when there is no such key; revoking twice keeps the first time. */
  async revoke(em: EntityManager, id: string): Promise<boolean> {
    const row = await em.findOne(PartnerKey, { id });
    if (!row) return false;
    row.revokedAt ??= new Date();
    await em.flush();
    return true;
  }
}
