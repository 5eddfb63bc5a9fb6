import { createHash } from 'node:crypto';
import { z } from 'zod';

/** One subgraph as a team publishes it. */
export interface SubgraphInput {
  name: string;
  sdl: string;
  url: string;
}

const SUBGRAPH_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** Request shape of a proposed subgraph; `url` may be left out to keep the registered one. */
export const ProposedSubgraph = z.object({
  name: z.string().regex(SUBGRAPH_NAME, 'lowercase letters, digits and dashes, starting with a letter'),
  sdl: z.string().min(1).max(2_000_000),
  url: z
    .string()
    .url()
    .refine((u) => /^https?:/.test(u), 'must be http(s)')
    .optional(),
});
export type ProposedSubgraph = z.infer<typeof ProposedSubgraph>;

/** Identifies a proposal exactly (names, URLs and SDLs), so an approval applies to what was reviewed only. */
export function proposalHash(subgraphs: SubgraphInput[]): string {
  const h = createHash('sha256');
  for (const s of [...subgraphs].sort((a, b) => a.name.localeCompare(b.name))) h.update(`${s.name}\n${s.url}\n${s.sdl}\n\0`);
  return h.digest('hex');
}
