import type { SchemaChange } from './schema-change.entity';
import type { SchemaVersion } from './schema-version.entity';

/** The version without its documents. */
export const versionSummary = (v: Omit<SchemaVersion, 'supergraphSdl' | 'apiSdl' | 'contractSdl'>) => ({
  id: v.id,
  number: v.number,
  hash: v.hash,
  createdAt: v.createdAt,
  author: v.author,
  subgraphs: v.subgraphs.split(','),
  message: v.message ?? null,
  approvalId: v.approvalId ?? null,
  forced: v.forced ?? null,
  contractHash: v.contractHash ?? null,
});

export const changeView = (c: SchemaChange) => ({
  target: c.target,
  level: c.level,
  type: c.type,
  path: c.path ?? null,
  message: c.message,
});
