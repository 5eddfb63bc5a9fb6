import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { startStub, type StubAnswer, type StubRequest, type StubServer } from './http-stub';

/**
 * A stand-in for FCM HTTP v1 and Google's OAuth token endpoint on loopback, as documented
 * (../shared/reference/channels.md §3): the token endpoint takes a JWT-bearer assertion (RS256,
 * checked with the service account's public key: iss, aud, scope, lifetime) and issues access
 * tokens; `POST /v1/projects/{project}/messages:send` checks the Bearer token and the message's
 * shape and records it, or answers FCM's errors (UNREGISTERED, INVALID_ARGUMENT, quota, outages).
 */
export interface FcmServerOptions {
  /** Default `manassa-test`. */
  projectId?: string;
  /** Lifetime of issued access tokens; default 3599 s, as Google's. */
  tokenLifetimeSeconds?: number;
  /** Registration tokens FCM reports as UNREGISTERED (the app was uninstalled). */
  unregisteredTokens?: string[];
}

export interface FcmMessage {
  name: string;
  token: string;
  message: Record<string, unknown>;
  /** The access token it was sent with. */
  accessToken: string;
}

export interface ServiceAccountKey {
  /** The service account JSON, as a key file holds it (FCM_SERVICE_ACCOUNT). */
  json: string;
  clientEmail: string;
  publicKey: KeyObject;
}

export interface FcmServer extends StubServer {
  projectId: string;
  /** The service account this server trusts (token_uri pointing here). */
  serviceAccount: ServiceAccountKey;
  /** Every message accepted, in order. */
  messages: FcmMessage[];
  /** Messages accepted for a registration token. */
  sentTo(token: string): FcmMessage[];
  /** Access tokens issued so far. */
  tokensIssued: number;
  /** Registration tokens answered UNREGISTERED. */
  unregisteredTokens: Set<string>;
  /** Every issued access token stops working (FCM answers 401 with it). */
  revokeAccessTokens(): void;
  /** The next `count` sends fail with `status` (default 503 UNAVAILABLE). */
  failNext(count: number, status?: 500 | 503 | 429): void;
}

const FCM_SCOPES = ['https://www.googleapis.com/auth/firebase.messaging', 'https://www.googleapis.com/auth/cloud-platform'];
const RESERVED_DATA = (key: string) =>
  ['from', 'message_type'].includes(key) || key.startsWith('google.') || key.startsWith('gcm.notification.');

/** A service account with a fresh RSA key pair, whose tokens are asked for at `tokenUri`. */
export function createServiceAccount(opts: { projectId: string; tokenUri: string }): ServiceAccountKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = `messaging@${opts.projectId}.iam.gserviceaccount.com`;
  const json = JSON.stringify({
    type: 'service_account',
    project_id: opts.projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: String(Math.floor(Math.random() * 1e20)),
    token_uri: opts.tokenUri,
  });
  return { json, clientEmail, publicKey };
}

const rpcError = (status: number, rpcStatus: string, message: string, fcmCode?: string): StubAnswer => ({
  status,
  body: {
    error: {
      code: status,
      message,
      status: rpcStatus,
      ...(fcmCode ? { details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: fcmCode }] } : {}),
    },
  },
});

/** What is wrong with an FCM v1 `message`, if anything. */
function messageProblem(message: Record<string, unknown> | undefined): string | undefined {
  if (!message || typeof message !== 'object') return 'message is required';
  const targets = ['token', 'topic', 'condition'].filter((t) => message[t] !== undefined);
  if (targets.length !== 1) return 'exactly one of token, topic or condition is required';
  if (message.token !== undefined && (typeof message.token !== 'string' || !message.token)) return 'token must be a non-empty string';
  const strings = (value: unknown, what: string) => {
    if (value === undefined) return undefined;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return `${what} must be a map`;
    const bad = Object.entries(value).find(([, v]) => typeof v !== 'string');
    return bad ? `${what}.${bad[0]} must be a string` : undefined;
  };
  const data = message.data as Record<string, unknown> | undefined;
  const reserved = data && Object.keys(data).find(RESERVED_DATA);
  if (reserved) return `data key ${reserved} is reserved`;
  const notification = message.notification as Record<string, unknown> | undefined;
  const android = message.android as Record<string, unknown> | undefined;
  const apns = message.apns as Record<string, unknown> | undefined;
  if (android?.collapse_key !== undefined && typeof android.collapse_key !== 'string') return 'android.collapse_key must be a string';
  return strings(data, 'data') ?? strings(notification, 'notification') ?? strings(apns?.headers, 'apns.headers');
}

export async function startFcmServer(options: FcmServerOptions = {}): Promise<FcmServer> {
  const projectId = options.projectId ?? 'manassa-test';
  const lifetime = options.tokenLifetimeSeconds ?? 3599;
  const accessTokens = new Map<string, number>();
  const messages: FcmMessage[] = [];
  let failures = { count: 0, status: 503 };
  // Made once the server listens: its token_uri is this server's URL.
  const trusted: { account?: ServiceAccountKey; tokenUri?: string } = {};

  const token = async (req: StubRequest): Promise<StubAnswer> => {
    const form = new URLSearchParams(req.text);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
    }
    try {
      const { payload } = await jwtVerify(form.get('assertion') ?? '', trusted.account!.publicKey, {
        algorithms: ['RS256'],
        issuer: trusted.account!.clientEmail,
        audience: trusted.tokenUri,
        requiredClaims: ['iat', 'exp'],
      });
      if ((payload.exp as number) - (payload.iat as number) > 3600) throw new Error('the assertion lives longer than an hour');
      const scopes = String(payload.scope ?? '').split(' ');
      if (!scopes.some((s) => FCM_SCOPES.includes(s))) throw new Error('the assertion lacks a scope for FCM');
    } catch (err) {
      return { status: 400, body: { error: 'invalid_grant', error_description: `Invalid JWT: ${(err as Error).message}` } };
    }
    const value = `ya29.${randomBytes(24).toString('base64url')}`;
    accessTokens.set(value, Date.now() + lifetime * 1000);
    server.tokensIssued++;
    return { status: 200, body: { access_token: value, expires_in: lifetime, token_type: 'Bearer' } };
  };

  const send = (req: StubRequest, project: string): StubAnswer => {
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const expiresAt = bearer ? accessTokens.get(bearer) : undefined;
    if (!bearer || !expiresAt || expiresAt < Date.now()) {
      return rpcError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    }
    // The account's token has no IAM permission on another project (no FcmError detail then).
    if (project !== projectId)
      return rpcError(403, 'PERMISSION_DENIED', `Permission 'cloudmessaging.messages.create' denied on project ${project}`);
    if (failures.count > 0) {
      failures.count--;
      if (failures.status === 429) return rpcError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', 'QUOTA_EXCEEDED');
      return failures.status === 503
        ? rpcError(503, 'UNAVAILABLE', 'The service is currently unavailable.', 'UNAVAILABLE')
        : rpcError(500, 'INTERNAL', 'Internal error encountered.', 'INTERNAL');
    }
    const body = req.json as { message?: Record<string, unknown> } | undefined;
    const problem = messageProblem(body?.message);
    if (problem) return rpcError(400, 'INVALID_ARGUMENT', `Invalid message: ${problem}`, 'INVALID_ARGUMENT');
    const message = body!.message!;
    const target = String(message.token);
    if (server.unregisteredTokens.has(target)) return rpcError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED');
    const name = `projects/${projectId}/messages/0:${Date.now()}%${randomBytes(8).toString('hex')}`;
    messages.push({ name, token: target, message, accessToken: bearer });
    return { status: 200, body: { name } };
  };

  const stub = await startStub((req) => {
    if (req.method === 'POST' && req.path === '/token') return token(req);
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(req.path);
    if (req.method === 'POST' && match) return send(req, decodeURIComponent(match[1]));
    return undefined;
  });
  trusted.tokenUri = `${stub.url}/token`;
  const account = createServiceAccount({ projectId, tokenUri: trusted.tokenUri });
  trusted.account = account;

  const server = stub as FcmServer;
  Object.assign(server, {
    projectId,
    serviceAccount: account,
    messages,
    tokensIssued: 0,
    unregisteredTokens: new Set(options.unregisteredTokens ?? []),
    sentTo: (registrationToken: string) => messages.filter((m) => m.token === registrationToken),
    revokeAccessTokens: () => accessTokens.clear(),
    failNext(count: number, status: 500 | 503 | 429 = 503) {
      failures = { count, status };
    },
  });
  return server;
}
