/**
 * The schema registry from a terminal or CI (API: registry/README.md).
 *
 *   npm run schema -- check   [<subgraph>…] [--file sdl.graphql] [--url routing-url]
 *   npm run schema -- publish [<subgraph>…] [--file …] [--url …] [--message text] [--author who] [--approve reason] [--force]
 *   npm run schema -- approve <subgraph>… --reason text [--file …]
 *   npm run schema -- history [--limit 20] [--version id|number [--part supergraph|api|contract]]
 *   npm run schema -- contract [--out file]
 *   npm run schema -- token create <name> --scopes publish,read | token list | token revoke <id>
 *   npm run schema -- webhook add <url> | webhook list | webhook remove <id>
 *   npm run schema -- persisted publish --client <name> --version <app version> <manifest.json>
 *   npm run schema -- persisted trusted-only <on|off> --client <name> | persisted list
 *   npm run schema -- partner-key create <partner> --school <slug> [--rate <per minute>] | partner-key list [--partner p] | partner-key revoke <id>
 *   npm run schema -- usage [--client name] | usage partners [--partner p]
 *
 * Without subgraph names, check and publish take every committed schema/subgraphs/*.graphql.
 * The registry is --registry, else REGISTRY_URL, else the one `npm start` runs (found through
 * DATA_DIR/registry.json); the token --token, else REGISTRY_TOKEN, else the embedded admin token
 * (DATA_DIR/keys/registry-admin-token). Exit code: 0 ok, 1 check failed or publish refused,
 * 2 usage or connection error. --json prints the registry's answer as is. A publish is refused
 * when a subgraph does not serve the published SDL at its routing URL; --force publishes anyway
 * (the version records it).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { embeddedRegistryFiles, RegistryClient, type RegistryAnswer } from '../registry/client';
import type { ProposedSubgraph } from '../registry/composition/subgraph-input';
import { printCheck, printHistory, printVersion } from './schema-cli/format';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    registry: { type: 'string' },
    token: { type: 'string' },
    file: { type: 'string' },
    url: { type: 'string' },
    message: { type: 'string' },
    author: { type: 'string' },
    approve: { type: 'string' },
    reason: { type: 'string' },
    limit: { type: 'string' },
    version: { type: 'string' },
    part: { type: 'string' },
    out: { type: 'string' },
    scopes: { type: 'string' },
    client: { type: 'string' },
    school: { type: 'string' },
    rate: { type: 'string' },
    partner: { type: 'string' },
    json: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
  },
});

class UsageError extends Error {}

const embedded = embeddedRegistryFiles(process.env.DATA_DIR ?? 'data');
const SUBGRAPHS_DIR = path.join('schema', 'subgraphs');

function registryUrl(): string {
  if (opts.registry) return opts.registry;
  if (process.env.REGISTRY_URL) return process.env.REGISTRY_URL;
  if (existsSync(embedded.discovery)) return (JSON.parse(readFileSync(embedded.discovery, 'utf8')) as { url: string }).url;
  return 'http://127.0.0.1:4100';
}

function token(): string {
  const value =
    opts.token ??
    process.env.REGISTRY_TOKEN ??
    (existsSync(embedded.adminToken) ? readFileSync(embedded.adminToken, 'utf8').trim() : undefined);
  if (!value) throw new UsageError('No registry token: pass --token or set REGISTRY_TOKEN');
  return value;
}

/** The named subgraphs' SDL (from --file for one, else the committed files); all committed ones without names. */
function proposal(names: string[]): ProposedSubgraph[] {
  if (opts.file && names.length !== 1) throw new UsageError('--file needs exactly one subgraph name');
  if (opts.url && names.length !== 1) throw new UsageError('--url needs exactly one subgraph name');
  const list = names.length
    ? names
    : readdirSync(SUBGRAPHS_DIR)
        .filter((f) => f.endsWith('.graphql'))
        .map((f) => f.replace(/\.graphql$/, ''))
        .sort();
  if (!list.length) throw new UsageError(`No subgraph SDL under ${SUBGRAPHS_DIR}`);
  return list.map((name) => {
    const file = opts.file ?? path.join(SUBGRAPHS_DIR, `${name}.graphql`);
    if (!existsSync(file)) throw new UsageError(`No SDL for ${name}: ${file} does not exist`);
    return { name, sdl: readFileSync(file, 'utf8'), url: opts.url };
  });
}

/** Prints an unexpected answer and fails with code 2. */
function expectStatus(res: RegistryAnswer, ...ok: number[]): void {
  if (ok.includes(res.status)) return;
  const reason = res.body?.errors?.map((e: { message: string }) => e.message).join('; ') ?? JSON.stringify(res.body);
  throw new UsageError(`registry answered ${res.status}: ${reason}`);
}

async function run(client: RegistryClient, [command, ...args]: string[]): Promise<number> {
  const out = (value: unknown) => console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  switch (command) {
    case 'check': {
      const res = await client.check(proposal(args));
      expectStatus(res, 200);
      if (opts.json) out(res.body);
      else printCheck(res.body, 'check');
      return res.body.ok ? 0 : 1;
    }
    case 'publish': {
      const res = await client.publish(proposal(args), {
        message: opts.message,
        author: opts.author,
        approve: opts.approve,
        force: opts.force,
      });
      expectStatus(res, 200, 201, 409, 422);
      if (opts.json) out(res.body);
      else printCheck(res.body, 'publish');
      return res.status < 300 ? 0 : 1;
    }
    case 'approve': {
      if (!args.length || !opts.reason) throw new UsageError('approve <subgraph>… --reason <why>');
      const res = await client.approve(proposal(args), opts.reason);
      expectStatus(res, 201, 422);
      if (opts.json) out(res.body);
      else if (res.status === 201)
        console.log(`approval ${res.body.id} recorded for:\n${res.body.changes.map((c: string) => `  ${c}`).join('\n')}`);
      else printCheck(res.body, 'check');
      return res.status === 201 ? 0 : 1;
    }
    case 'history': {
      if (opts.version) {
        const res = await client.version(opts.version, opts.part as 'supergraph' | 'api' | 'contract' | undefined);
        expectStatus(res, 200);
        if (opts.part || opts.json) out(res.body);
        else printVersion(res.body);
        return 0;
      }
      const res = await client.history(Number(opts.limit ?? 20));
      expectStatus(res, 200);
      if (opts.json) out(res.body);
      else printHistory(res.body.versions);
      return 0;
    }
    case 'contract': {
      const res = await client.contract();
      expectStatus(res, 200);
      if (opts.out) writeFileSync(opts.out, res.body);
      else process.stdout.write(res.body);
      return 0;
    }
    case 'token':
      return tokenCommand(client, args, out);
    case 'webhook':
      return webhookCommand(client, args, out);
    case 'persisted':
      return persistedCommand(client, args, out);
    case 'partner-key':
      return partnerKeyCommand(client, args, out);
    case 'usage': {
      const query = args[0] === 'partners' ? partnerQuery() : opts.client ? `?client=${encodeURIComponent(opts.client)}` : '';
      const res = await client.call('GET', `/v1/usage${args[0] === 'partners' ? '/partners' : ''}${query}`);
      expectStatus(res, 200);
      out(res.body);
      return 0;
    }
    default:
      throw new UsageError(
        'commands: check, publish, approve, history, contract, token, webhook, persisted, partner-key, usage (see scripts/schema-cli.ts)',
      );
  }
}

async function tokenCommand(client: RegistryClient, [action, arg]: string[], out: (v: unknown) => void): Promise<number> {
  if (action === 'create' && arg && opts.scopes) {
    const res = await client.createToken(arg, opts.scopes.split(','));
    expectStatus(res, 201);
    out(opts.json ? res.body : `token ${res.body.id} (${res.body.scopes.join(' ')}) — shown once:\n${res.body.token}`);
  } else if (action === 'list') {
    const res = await client.call('GET', '/v1/tokens');
    expectStatus(res, 200);
    out(res.body);
  } else if (action === 'revoke' && arg) {
    expectStatus(await client.call('DELETE', `/v1/tokens/${encodeURIComponent(arg)}`), 204);
    out(`token ${arg} revoked`);
  } else {
    throw new UsageError('token create <name> --scopes a,b | token list | token revoke <id>');
  }
  return 0;
}

const partnerQuery = () => (opts.partner ? `?partner=${encodeURIComponent(opts.partner)}` : '');

/** Partner API keys for the gateway (`X-Api-Key`), each bound to one school; the key is shown once. */
async function partnerKeyCommand(client: RegistryClient, [action, arg]: string[], out: (v: unknown) => void): Promise<number> {
  if (action === 'create' && arg && opts.school) {
    const res = await client.call('POST', '/v1/partner-keys', {
      partner: arg,
      school: opts.school,
      ...(opts.rate ? { ratePerMinute: Number(opts.rate) } : {}),
    });
    expectStatus(res, 201);
    out(
      opts.json
        ? res.body
        : `partner key ${res.body.id} (${res.body.partner}, school ${res.body.school}, ${res.body.ratePerMinute}/min) — shown once:\n${res.body.key}`,
    );
  } else if (action === 'list') {
    const res = await client.call('GET', `/v1/partner-keys${partnerQuery()}`);
    expectStatus(res, 200);
    out(res.body);
  } else if (action === 'revoke' && arg) {
    expectStatus(await client.call('DELETE', `/v1/partner-keys/${encodeURIComponent(arg)}`), 204);
    out(`partner key ${arg} revoked`);
  } else {
    throw new UsageError(
      'partner-key create <partner> --school <slug> [--rate n] | partner-key list [--partner p] | partner-key revoke <id>',
    );
  }
  return 0;
}

async function webhookCommand(client: RegistryClient, [action, arg]: string[], out: (v: unknown) => void): Promise<number> {
  if (action === 'add' && arg) {
    const res = await client.call('POST', '/v1/webhooks', { url: arg });
    expectStatus(res, 201);
    out(opts.json ? res.body : `webhook ${res.body.id} → ${res.body.url}\nsigning secret (shown once): ${res.body.secret}`);
  } else if (action === 'list') {
    const res = await client.call('GET', '/v1/webhooks');
    expectStatus(res, 200);
    out(res.body);
  } else if (action === 'remove' && arg) {
    expectStatus(await client.call('DELETE', `/v1/webhooks/${encodeURIComponent(arg)}`), 204);
    out(`webhook ${arg} removed`);
  } else {
    throw new UsageError('webhook add <url> | webhook list | webhook remove <id>');
  }
  return 0;
}

const PERSISTED_USAGE =
  'persisted publish --client <name> --version <app version> <manifest.json> | persisted trusted-only <on|off> --client <name> | persisted list';

/**
 * A first-party app's build registers its trusted documents (Apollo persisted-query manifest);
 * an operator marks a client trusted-only (an admin token) and lists the clients.
 */
async function persistedCommand(client: RegistryClient, [action, file]: string[], out: (v: unknown) => void): Promise<number> {
  if (action === 'trusted-only') {
    if (!opts.client || (file !== 'on' && file !== 'off')) throw new UsageError(PERSISTED_USAGE);
    const res = await client.setTrustedOnly(opts.client, file === 'on');
    expectStatus(res, 200);
    out(
      opts.json
        ? res.body
        : `${res.body.client} is ${res.body.trustedOnly ? 'trusted-only: gateways accept only its registered operations' : 'no longer trusted-only'}`,
    );
    return 0;
  }
  if (action === 'list') {
    const res = await client.persistedClients();
    expectStatus(res, 200);
    if (opts.json) out(res.body);
    else for (const c of res.body.clients) out(`${c.client}\t${c.operations ?? 0} operations${c.trustedOnly ? '\ttrusted-only' : ''}`);
    return 0;
  }
  if (action !== 'publish' || !file || !opts.client || !opts.version) throw new UsageError(PERSISTED_USAGE);
  if (!existsSync(file)) throw new UsageError(`No manifest: ${file} does not exist`);
  const res = await client.publishPersisted(opts.client, opts.version, JSON.parse(readFileSync(file, 'utf8')));
  expectStatus(res, 201, 422);
  if (opts.json) out(res.body);
  else if (res.status === 201) out(`${res.body.operations} operations of ${res.body.client}@${res.body.version} registered`);
  else
    for (const p of res.body.problems as Array<{ id: string; name?: string; problems: string[] }>)
      console.log(`${p.name ?? p.id}:\n${p.problems.map((m) => `  ${m}`).join('\n')}`);
  return res.status === 201 ? 0 : 1;
}

async function main() {
  const url = registryUrl();
  try {
    process.exitCode = await run(new RegistryClient(url, token()), positionals);
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    console.error(
      cause === 'ECONNREFUSED' ? `No schema registry at ${url} (is \`npm start\` running, or REGISTRY_URL set?)` : (err as Error).message,
    );
    process.exitCode = 2;
  }
}

void main();
