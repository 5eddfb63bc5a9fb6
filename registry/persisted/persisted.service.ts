import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { z } from 'zod';
import { ErrorCode } from '../../platform/errors';
import { HttpError } from '../http/http-error';
import { latestVersion } from '../version/latest-version';
import { PersistedClient } from './persisted-client.entity';
import { PersistedOperation } from './persisted-operation.entity';

/** A client name or app version as a path segment: what Apollo Client sends in its headers. */
export const ClientName = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ".", "_" and "-" only (at most 100)');

/** Apollo's persisted-query manifest (`generate-persisted-query-manifest`), format version 1. */
export const PersistedQueryManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z
    .array(
      z.object({
        id: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the body, in lowercase hex'),
        name: z.string().max(200).optional(),
        type: z.enum(['query', 'mutation', 'subscription']).optional(),
        // The column is TEXT (64 KiB); the gateway's token limit refuses far smaller documents anyway.
        body: z.string().min(1).max(16_000),
      }),
    )
    .max(5000),
});
export type PersistedQueryManifest = z.infer<typeof PersistedQueryManifest>;

/** `PUT /v1/persisted/:client`: the client's settings. */
export const ClientSettings = z.object({ trustedOnly: z.boolean() }).strict();

export interface ClientSummary {
  client: string;
  trustedOnly: boolean;
  /** Distinct operations over its versions (left out of the trusted-only listing). */
  operations?: number;
}

export interface ManifestProblem {
  id: string;
  name?: string;
  problems: string[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Trusted-document lists: published per client and app version, validated against the API schema. */
export class PersistedOperationService {
  /** The API schema of the latest version, built once per version. */
  private schema?: { number: number; schema: GraphQLSchema };

  /**
   * Stores the manifest as the list of `client`@`version` (replacing what that version published
   * before), or returns the operations that do not hold: an id that is not its body's hash, or a
   * body that does not parse or validate against the current API schema. Nothing is stored then.
   */
  async publish(em: EntityManager, client: string, version: string, manifest: PersistedQueryManifest) {
    const schema = await this.apiSchema(em);
    const problems: ManifestProblem[] = [];
    for (const op of manifest.operations) {
      const found: string[] = [];
      if (sha256(op.body) !== op.id) found.push('id is not the SHA-256 of the body');
      try {
        found.push(...validate(schema, parse(op.body)).map((e) => e.message));
      } catch (err) {
        found.push((err as Error).message);
      }
      if (found.length) problems.push({ id: op.id, name: op.name, problems: found });
    }
    if (problems.length) return { stored: 0, problems };
    const unique = new Map(manifest.operations.map((op) => [op.id, op]));
    await em.transactional(async (tx) => {
      await tx.nativeDelete(PersistedOperation, { client, clientVersion: version });
      for (const op of unique.values()) {
        tx.persist(tx.create(PersistedOperation, { client, clientVersion: version, hash: op.id, name: op.name, body: op.body }));
      }
    });
    return { stored: unique.size, problems };
  }

  /** Every operation `client` published, over all its versions, once per hash. */
  async list(em: EntityManager, client: string): Promise<Array<{ id: string; body: string }>> {
    const rows = await em.find(PersistedOperation, { client }, { fields: ['hash', 'body'], orderBy: { createdAt: 'asc' } });
    return [...new Map(rows.map((r) => [r.hash, { id: r.hash, body: r.body }])).values()];
  }

  /** Marks `client` trusted-only or not (it need not have published anything yet: it is then refused everything). */
  async setTrustedOnly(
    em: EntityManager,
    client: string,
    trustedOnly: boolean,
    by: string,
  ): Promise<{ client: string; trustedOnly: boolean }> {
    await em.upsert(PersistedClient, { client, trustedOnly, updatedBy: by, updatedAt: new Date() });
    return { client, trustedOnly };
  }

  /** Whether gateways hold `client` to its list. */
  async trustedOnly(em: EntityManager, client: string): Promise<boolean> {
    return (await em.findOne(PersistedClient, { client }, { fields: ['trustedOnly'] }))?.trustedOnly ?? false;
  }

  /**
   * Every client that published operations or has settings, with its flag and how many distinct
   * operations it registered; `trustedOnly` alone: only the clients marked so (what gateways poll).
   */
  async clients(em: EntityManager, opts: { trustedOnly?: boolean } = {}): Promise<ClientSummary[]> {
    const settings = await em.find(PersistedClient, opts.trustedOnly ? { trustedOnly: true } : {}, { fields: ['client', 'trustedOnly'] });
    const out = new Map<string, ClientSummary>();
    if (!opts.trustedOnly) {
      const counts: Array<{ client: string; operations: number | string }> = await em
        .getConnection()
        .execute('select client, count(distinct hash) as operations from persisted_operation group by client');
      for (const c of counts) out.set(c.client, { client: c.client, trustedOnly: false, operations: Number(c.operations) });
    }
    for (const c of settings)
      out.set(c.client, {
        client: c.client,
        trustedOnly: c.trustedOnly,
        operations: opts.trustedOnly ? undefined : (out.get(c.client)?.operations ?? 0),
      });
    return [...out.values()].sort((a, b) => a.client.localeCompare(b.client));
  }

  private async apiSchema(em: EntityManager): Promise<GraphQLSchema> {
    const head = await latestVersion(em, { fields: ['number', 'apiSdl'] });
    if (!head) throw new HttpError(ErrorCode.CONFLICT, 'No schema has been published yet: operations cannot be validated');
    if (this.schema?.number !== head.number) this.schema = { number: head.number, schema: buildSchema(head.apiSdl) };
    return this.schema.schema;
  }
}
