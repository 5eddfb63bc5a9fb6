/**
 * What a token may do. `admin` manages tokens and implies every scope but `partner`: a partner
 * token is an identity (its webhooks belong to it), not a permission an operator inherits.
 */
export const Scope = {
  /** A subgraph's CI: check and publish subgraph schemas. */
  publish: 'publish',
  /** Gateways and tooling: supergraph, history, subgraphs; gateways also report usage with it. */
  read: 'read',
  /** One partner: its contract and its webhooks, nothing else. */
  partner: 'partner',
  /** Schema owners: let a breaking change through (the approval is recorded). */
  approve: 'approve',
  /** Operators: create, list and revoke tokens. */
  admin: 'admin',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

export const ALL_SCOPES = Object.values(Scope);

export function parseScopes(text: string): Scope[] {
  return text.split(/[\s,]+/).filter((s): s is Scope => (ALL_SCOPES as string[]).includes(s));
}

export function grants(held: readonly Scope[], wanted: Scope): boolean {
  return held.includes(wanted) || (wanted !== Scope.partner && held.includes(Scope.admin));
}
