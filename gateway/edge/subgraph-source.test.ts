import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  createInternalContextSigner,
  createInternalContextVerifier,
  INTERNAL_CONTEXT_HEADER,
  type InternalContextSigner,
} from '../../platform/auth/internal-context';
import { generatePrivateJwk, keySetFromJwks, publicJwk } from '../../platform/auth/keys';
import type { GatewayContext } from './context';
import { TOKEN_REUSE_MS } from './reused-tokens';
import { SubgraphSource } from './subgraph-source';

/**
 * A query plan fetches from one subgraph several times per request, and a client sends many
 * requests: one signature per identity and subgraph serves them all while it is fresh.
 */
describe('SubgraphSource internal context', () => {
  let jwks: Parameters<typeof createInternalContextVerifier>[0];
  let realSign: InternalContextSigner;
  /** Every signature asked for, by subgraph. */
  let signed: string[];
  /** When set, the next signature fails (once). */
  let failNext: boolean;
  const sign: InternalContextSigner = async (ctx, service) => {
    signed.push(service);
    if (failNext) {
      failNext = false;
      throw new Error('signing key unavailable');
    }
    return realSign(ctx, service);
  };

  beforeAll(async () => {
    const jwk = await generatePrivateJwk();
    realSign = createInternalContextSigner(await keySetFromJwks({ keys: [jwk] }));
    jwks = { keys: [publicJwk(jwk)] };
  });
  beforeEach(() => {
    signed = [];
    failNext = false;
  });
  afterEach(() => jest.restoreAllMocks());

  const users = () => new SubgraphSource('users', 'http://users.invalid/graphql', sign);
  const courses = () => new SubgraphSource('courses', 'http://courses.invalid/graphql', sign);
  let requests = 0;
  const newRequest = (): GatewayContext => ({
    requestId: `r${++requests}`,
    ip: '10.0.0.7',
    tenant: { id: 't1', slug: 'demo' },
    locale: 'en',
    user: { id: 'u1', roles: ['STUDENT'], sessionId: 's1', expiresAt: Math.floor(Date.now() / 1000) + 900 },
  });

  /** One subgraph fetch of the request `context`; returns the headers it would send. */
  async function fetchFrom(source: SubgraphSource, context: GatewayContext): Promise<Headers> {
    const headers = new Headers();
    const options = {
      // GraphQLDataSourceRequestKind.INCOMING_OPERATION (the package exports the enum as a type only)
      kind: 'incoming operation',
      request: { query: '{ __typename }', http: { method: 'POST', url: source.name, headers } },
      context,
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
    await source.willSendRequest(options);
    return headers;
  }

  it('signs once per identity and subgraph, however many fetches and requests', async () => {
    const [usersSource, coursesSource] = [users(), courses()];
    const request = newRequest();
    const tokens = await Promise.all([fetchFrom(usersSource, request), fetchFrom(usersSource, request)]);
    tokens.push(await fetchFrom(usersSource, request));
    expect(signed).toEqual(['users']);
    expect(new Set(tokens.map((h) => h.get(INTERNAL_CONTEXT_HEADER))).size).toBe(1);

    await fetchFrom(coursesSource, request);
    await fetchFrom(coursesSource, request);
    expect(signed).toEqual(['users', 'courses']);

    // The same caller's next request: same token, its own request id.
    const next = newRequest();
    const nextHeaders = await fetchFrom(usersSource, next);
    expect(signed).toEqual(['users', 'courses']);
    expect(nextHeaders.get(INTERNAL_CONTEXT_HEADER)).toBe(tokens[0].get(INTERNAL_CONTEXT_HEADER));
    expect(nextHeaders.get('x-request-id')).toBe(next.requestId);
  });

  it('signs anew for anything else the token vouches for', async () => {
    const source = users();
    const base = newRequest();
    const variants: GatewayContext[] = [
      { ...newRequest(), ip: '10.0.0.8' },
      { ...newRequest(), locale: 'ar' },
      { ...newRequest(), tenant: { ...base.tenant, timezone: 'Africa/Cairo' } },
      { ...newRequest(), tenant: { id: 't2', slug: 'nile' } },
      { ...newRequest(), user: { ...base.user!, id: 'u2' } },
      { ...newRequest(), user: { ...base.user!, roles: ['STUDENT', 'PARENT'] } },
      { ...newRequest(), user: { ...base.user!, sessionId: 's2' } },
      { ...newRequest(), user: undefined },
    ];
    const tokens = new Set<string | null>();
    for (const request of [base, ...variants]) tokens.add((await fetchFrom(source, request)).get(INTERNAL_CONTEXT_HEADER));
    expect(tokens.size).toBe(variants.length + 1);
    expect(signed).toHaveLength(variants.length + 1);
    for (const [i, request] of [base, ...variants].entries()) {
      const token = [...tokens][i] ?? undefined;
      const { requestId: _requestId, ...identity } = request;
      const user = identity.user && { id: identity.user.id, roles: identity.user.roles, sessionId: identity.user.sessionId };
      expect(await createInternalContextVerifier(jwks, 'users')(token)).toEqual({ ...identity, user, requestId: undefined });
    }
  });

  it('keeps the tokens of the identities used most recently, up to its bound', async () => {
    const source = new SubgraphSource('users', 'http://users.invalid/graphql', sign, undefined, { maxIdentities: 2 });
    const as = (id: string) => ({ ...newRequest(), user: { ...newRequest().user!, id } });
    await fetchFrom(source, as('a'));
    await fetchFrom(source, as('b'));
    await fetchFrom(source, as('a'));
    expect(signed).toHaveLength(2);
    await fetchFrom(source, as('c')); // drops b, the least recently used
    await fetchFrom(source, as('a'));
    expect(signed).toHaveLength(3);
    await fetchFrom(source, as('b'));
    expect(signed).toHaveLength(4);
  });

  it('sends a token for that subgraph only, and the request id beside it', async () => {
    const request = newRequest();
    const headers = await fetchFrom(users(), request);
    const token = headers.get(INTERNAL_CONTEXT_HEADER) ?? undefined;
    expect(await createInternalContextVerifier(jwks, 'users')(token)).toEqual({
      tenant: request.tenant,
      user: { id: 'u1', roles: ['STUDENT'], sessionId: 's1' },
      ip: '10.0.0.7',
      requestId: undefined,
      locale: 'en',
    });
    await expect(createInternalContextVerifier(jwks, 'courses')(token)).rejects.toThrow('invalid internal context');
    expect(headers.get('x-request-id')).toBe(request.requestId);
  });

  it('signs again after a failed signature', async () => {
    const source = users();
    const request = newRequest();
    failNext = true;
    await expect(fetchFrom(source, request)).rejects.toThrow('signing key unavailable');
    const token = (await fetchFrom(source, request)).get(INTERNAL_CONTEXT_HEADER) ?? undefined;
    expect(signed).toEqual(['users', 'users']);
    await expect(createInternalContextVerifier(jwks, 'users')(token)).resolves.toMatchObject({ tenant: { slug: 'demo' } });
    await fetchFrom(source, request);
    expect(signed).toEqual(['users', 'users']);
  });

  it('signs again when a request outlives half the token lifetime', async () => {
    const source = users();
    const request = newRequest();
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    await fetchFrom(source, request);
    now.mockReturnValue(start + TOKEN_REUSE_MS - 1);
    await fetchFrom(source, request);
    expect(signed).toEqual(['users']);
    now.mockReturnValue(start + TOKEN_REUSE_MS);
    await fetchFrom(source, request);
    expect(signed).toEqual(['users', 'users']);
  });
});
