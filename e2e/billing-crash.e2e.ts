import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER } from '../platform/auth/internal-context';
import { keySetFromJwks } from '../platform/auth/keys';
import { mysqlDbName, onMysqlServer } from '../platform/db/orm';
import { DEMO } from '../platform/demo';
import { startTestProviders, type TestProviders } from '../testkit/billing';
import { eventually } from '../testkit/eventually';
import { gql, request } from '../testkit/graphql-client';
import { testKeys } from '../testkit/keys';
import type { PaymobCallback } from '../testkit/providers/paymob-server';
import { testServices, uniqueName } from '../testkit/services';
import { listening, productionEnv, removeProductionData, startProcess, type RunningProcess } from './support/process';

/**
 * Billing as its own process on MariaDB, Redis and RabbitMQ (with users and courses), killed with
 * SIGKILL while it settles Paymob's callback: once inside the settlement transaction before its
 * commit, once after the commit before its answer. Paymob, having had no answer, delivers the
 * callback again each time; in the end there is one paid payment, one invoice and one enrollment.
 */
describe('billing across a killed process', () => {
  const prefix = uniqueName('e2e_billing');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'manassa-billing-'));
  const running: RunningProcess[] = [];
  let keys: Awaited<ReturnType<typeof testKeys>>;
  let providers: TestProviders;
  let sign: ReturnType<typeof createInternalContextSigner>;

  const env = (service: string, extra: Record<string, string> = {}) => ({
    ...productionEnv(prefix, dataDir),
    [`${service.toUpperCase()}_PORT`]: '0',
    SEED_DEMO: '1',
    INTERNAL_JWKS: keys.internalPublic,
    ACCESS_TOKEN_SIGNING_KEYS: keys.access,
    ARGON2_MEMORY_KIB: '8192',
    ...providers.env,
    ...extra,
  });
  const start = async (service: string, extra: Record<string, string> = {}) => {
    const proc = await startProcess(`subgraphs/${service}/index.js`, env(service, extra), listening(service));
    running.push(proc);
    return proc;
  };
  /** One GraphQL call to a subgraph as a demo person, signed as the gateway signs it. */
  const call = async (service: RunningProcess, audience: string, user: { id: string; roles: string[] }, query: string, variables = {}) => {
    const token = await sign({ tenant: { id: DEMO.schools.demo.id, slug: 'demo' }, user }, audience);
    const r = await gql(`${service.url}/graphql`, query, { headers: { [INTERNAL_CONTEXT_HEADER]: token }, variables });
    if (r.body.errors?.length) throw new Error(`${audience}: ${JSON.stringify(r.body.errors)}`);
    return r.body.data;
  };
  const deliver = (billing: RunningProcess, callback: PaymobCallback) =>
    request(`${billing.url}/webhooks/paymob?hmac=${callback.hmac}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(callback.body),
      fresh: true,
    });
  /** SIGKILL once the process logged that it reached `failpoint`; the delivery in flight gets no answer. */
  const killAt = async (proc: RunningProcess, failpoint: string, inFlight: Promise<unknown>) => {
    await eventually(() => expect(proc.output()).toContain(`"failpoint":"${failpoint}"`), 30_000);
    proc.proc.kill('SIGKILL');
    await new Promise((resolve) => (proc.proc.exitCode !== null ? resolve(null) : proc.proc.once('exit', resolve)));
    await expect(inFlight).rejects.toThrow();
  };
  const count = (service: string, sql: string, params: unknown[]) =>
    onMysqlServer(testServices.mysqlUrl, async (conn) => {
      const [rows] = await conn.query(sql.replace('$db', mysqlDbName(`${testServices.mysqlUrl}/${prefix}`, service)), params);
      return Number((rows as Array<{ n: number }>)[0].n);
    });

  beforeAll(async () => {
    keys = await testKeys();
    providers = await startTestProviders();
    sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(keys.internal)));
  });
  afterAll(async () => {
    for (const proc of running) if (proc.proc.exitCode === null && proc.proc.signalCode === null) await proc.stop();
    await providers.close();
    await removeProductionData(prefix, dataDir);
  });

  it('settles a callback repeated after a kill before and after its commit into one payment, one invoice, one enrollment', async () => {
    await start('users');
    const courses = await start('courses');
    let billing = await start('billing', { BILLING_FAILPOINTS: 'settlement.before-commit' });
    const { demoTeacher, demoAdmin, demoParent, demoStudent } = DEMO.users;

    const { createCourse } = await call(
      courses,
      'courses',
      { id: demoTeacher.id, roles: ['TEACHER'] },
      'mutation { createCourse(input: { title: "Crash course" }) { id } }',
    );
    await call(courses, 'courses', { id: demoTeacher.id, roles: ['TEACHER'] }, 'mutation($id: ID!) { publishCourse(id: $id) { id } }', {
      id: createCourse.id,
    });
    const { createPlan } = await call(
      billing,
      'billing',
      { id: demoAdmin.id, roles: ['SCHOOL_ADMIN'] },
      'mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }',
      { i: { name: 'Crash course — monthly', amountPiasters: 20_000, interval: 'MONTH', courseId: createCourse.id } },
    );
    const parent = { id: demoParent.id, roles: ['PARENT'] };
    const { subscribe } = await call(
      billing,
      'billing',
      parent,
      'mutation($p: ID!, $s: ID!) { subscribe(planId: $p, studentId: $s, provider: PAYMOB, method: CARD) { id checkoutUrl } }',
      { p: createPlan.id, s: demoStudent.id },
    );
    const callback = providers.paymob.pay(providers.paymob.intentionOf(subscribe.checkoutUrl).orderId);
    const status = () =>
      call(billing, 'billing', parent, 'query($id: ID!) { payment(id: $id) { status invoice { number } } }', { id: subscribe.id });

    // 1. Killed inside the settlement, before its commit: nothing of it remains.
    await killAt(billing, 'settlement.before-commit', deliver(billing, callback));
    billing = await start('billing', { BILLING_FAILPOINTS: 'webhook.after-commit' });
    expect((await status()).payment).toEqual({ status: 'PENDING', invoice: null });

    // 2. Paymob delivers again; killed after the commit, before the answer.
    await killAt(billing, 'webhook.after-commit', deliver(billing, callback));
    billing = await start('billing');
    expect((await status()).payment).toEqual({ status: 'PAID', invoice: { number: expect.stringMatching(/^INV-\d{6}$/) } });

    // 3. And again, twice: answered, without effect.
    for (let i = 0; i < 2; i++) {
      const answer = await deliver(billing, callback);
      expect([answer.status, JSON.parse(answer.text).applied]).toEqual([200, false]);
    }
    expect(await count('billing', 'select count(*) as n from $db.payment where plan_id = ? and status = ?', [createPlan.id, 'PAID'])).toBe(
      1,
    );
    expect(await count('billing', 'select count(*) as n from $db.invoice where payment_id = ?', [subscribe.id])).toBe(1);
    expect(await count('billing', 'select count(*) as n from $db.provider_event where payment_id = ?', [subscribe.id])).toBe(1);
    expect(
      await count('billing', "select count(*) as n from $db.outbox_message where type = 'plan.subscription.activated' and payload like ?", [
        `%${createPlan.id}%`,
      ]),
    ).toBe(1);
    await eventually(
      async () =>
        expect(
          await count('courses', "select count(*) as n from $db.enrollment where course_id = ? and student_id = ? and status = 'ACTIVE'", [
            createCourse.id,
            demoStudent.id,
          ]),
        ).toBe(1),
      90_000,
    );
  }, 240_000);
});
