import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { subgraphs } from '../subgraphs/catalog';

/**
 * No Docker engine or cluster runs here, so the deployment files are checked against the code:
 * every service the code has is deployed, with the command, port, probes and wiring it needs.
 */
const ROOT = path.resolve(__dirname, '..');
const entryExists = (command: string[]) => existsSync(path.join(ROOT, command[1].replace(/^dist\//, '').replace(/\.js$/, '.ts')));

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
  healthcheck?: unknown;
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const k8sDocs = readdirSync(path.join(ROOT, 'k8s'))
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => parseAllDocuments(readFileSync(path.join(ROOT, 'k8s', f), 'utf8')).map((d) => d.toJS()));
const npmScripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const routesOf = (subgraphUrls: string) => subgraphUrls.split(',').map((route) => route.split('=')[0]);

/**
 * What each deployment runs besides the subgraphs; anything else it names must be a subgraph of
 * the catalog, and every subgraph of the catalog must be there.
 */
const NOT_SUBGRAPHS = {
  compose: ['gateway', 'registry', 'keys', 'mariadb', 'redis', 'rabbitmq'],
  k8s: ['gateway', 'registry'],
  npm: ['gateway', 'registry'],
};
const catalogNames = subgraphs.map((s) => s.name).sort();
const subgraphsAmong = (names: string[], known: string[]) => [...new Set(names)].filter((n) => !known.includes(n)).sort();

describe('the subgraph catalog (subgraphs/catalog.ts) is what is deployed', () => {
  it('docker-compose.yml runs exactly the catalog subgraphs (besides the gateway, registry and infrastructure)', () => {
    expect(subgraphsAmong(Object.keys(compose.services), NOT_SUBGRAPHS.compose)).toEqual(catalogNames);
    expect(routesOf(compose.services.gateway.environment!.SUBGRAPH_URLS).sort()).toEqual(catalogNames);
  });

  it('k8s/ deploys exactly the catalog subgraphs (besides the gateway and registry)', () => {
    const named = (kind: string) => k8sDocs.filter((d) => d?.kind === kind).map((d) => d.metadata.name as string);
    expect(subgraphsAmong(named('Deployment'), NOT_SUBGRAPHS.k8s)).toEqual(catalogNames);
    expect(subgraphsAmong(named('Service'), NOT_SUBGRAPHS.k8s)).toEqual(catalogNames);
    const tiered = k8sDocs.filter((d) => d?.kind === 'Deployment' && d.spec.template.metadata.labels.tier === 'subgraph');
    expect(tiered.map((d) => d.metadata.name).sort()).toEqual(catalogNames);
    const gateway = k8sDocs.find((d) => d?.kind === 'Deployment' && d.metadata.name === 'gateway');
    const env = gateway.spec.template.spec.containers[0].env as Array<{ name: string; value: string }>;
    expect(routesOf(env.find((e) => e.name === 'SUBGRAPH_URLS')!.value).sort()).toEqual(catalogNames);
  });

  it('package.json has a start:<name> script for exactly the catalog subgraphs (besides the gateway and registry)', () => {
    const started = Object.keys(npmScripts).flatMap((script) => /^start:(.+)$/.exec(script)?.[1] ?? []);
    expect(subgraphsAmong(started, NOT_SUBGRAPHS.npm)).toEqual(catalogNames);
    for (const name of catalogNames) {
      expect({ name, script: npmScripts[`start:${name}`] }).toEqual({ name, script: `node dist/subgraphs/${name}/index.js` });
      expect(entryExists(['node', `dist/subgraphs/${name}/index.js`])).toBe(true);
    }
  });
});

describe('docker-compose.yml', () => {
  it('runs every subgraph and the gateway from entry points that exist, with health checks', () => {
    for (const name of [...subgraphs.map((s) => s.name), 'registry', 'gateway']) {
      const svc = compose.services[name];
      expect({ name, defined: !!svc }).toEqual({ name, defined: true });
      expect(entryExists(svc.command!)).toBe(true);
      expect(svc.healthcheck).toBeDefined();
      expect(svc.environment).toMatchObject({
        NODE_ENV: 'production',
        DATABASE_URL: expect.stringMatching(/^(mysql|mariadb):\/\//),
        REDIS_URL: expect.stringMatching(/^redis:\/\//),
        AMQP_URL: expect.stringMatching(/^amqp:\/\//),
      });
    }
  });

  it('routes the gateway to every subgraph on its own port', () => {
    const routes = compose.services.gateway.environment!.SUBGRAPH_URLS.split(',');
    for (const sg of subgraphs) {
      expect(routes).toContain(`${sg.name}=http://${sg.name}:${sg.defaultPort}/graphql`);
      expect(compose.services[sg.name].environment![`${sg.name.toUpperCase()}_PORT`]).toBe(String(sg.defaultPort));
    }
  });
});

describe('k8s/', () => {
  const docs = k8sDocs;
  const of = (kind: string, name: string) => docs.find((d) => d?.kind === kind && d.metadata?.name === name);
  const kustomization = parse(readFileSync(path.join(ROOT, 'k8s', 'kustomization.yaml'), 'utf8')) as { resources: string[] };

  it('lists every manifest in the kustomization', () => {
    const files = readdirSync(path.join(ROOT, 'k8s')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect(kustomization.resources.sort()).toEqual(files.sort());
  });

  it.each([...subgraphs.map((s) => [s.name, s.defaultPort] as const), ['registry', 4100] as const, ['gateway', 4000] as const])(
    'deploys %s with probes, graceful stop and a Service',
    (name, port) => {
      const deployment = of('Deployment', name);
      expect(deployment).toBeDefined();
      const container = deployment.spec.template.spec.containers[0];
      expect(entryExists(container.command)).toBe(true);
      expect(container.ports[0].containerPort).toBe(port);
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.envFrom).toEqual(
        expect.arrayContaining([{ configMapRef: { name: 'manassa-config' } }, { secretRef: { name: 'manassa-secrets' } }]),
      );
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
      expect(of('Service', name).spec.selector).toEqual({ app: name });
    },
  );

  it('routes the gateway to every subgraph and keeps subgraphs private', () => {
    const env = of('Deployment', 'gateway').spec.template.spec.containers[0].env as Array<{ name: string; value: string }>;
    const routes = env.find((e) => e.name === 'SUBGRAPH_URLS')!.value.split(',');
    for (const sg of subgraphs) {
      expect(routes).toContain(`${sg.name}=http://${sg.name}:${sg.defaultPort}/graphql`);
      expect(of('Deployment', sg.name).spec.template.metadata.labels.tier).toBe('subgraph');
    }
    const policy = docs.find((d) => d?.kind === 'NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual({ tier: 'subgraph' });
    expect(policy.spec.ingress[0].from[0].podSelector.matchLabels).toEqual({ app: 'gateway' });
  });

  it('keeps secrets out of the ConfigMap', () => {
    const config = of('ConfigMap', 'manassa-config').data as Record<string, string>;
    for (const key of Object.keys(config)) expect(key).not.toMatch(/SIGNING_KEYS|SECRET|PASSWORD|DATABASE_URL|AMQP_URL/);
  });
});
