import { createLogger } from '../../platform/logger';
import { sha256 } from '../../platform/secrets';
import { partnerKeys, type PartnerKey } from './partner-keys';
import { partnerContract } from './contract-validation';

const logger = createLogger('test');
const key = (id: string, presented: string): PartnerKey => ({
  id,
  hash: sha256(presented),
  partner: 'acme',
  school: 'demo',
  ratePerMinute: 60,
});

/** The registry polls behind partner access: closed until a first load, the last good value kept while the registry fails. */
describe('partner keys and contract from the registry', () => {
  it('knows no key until a first load, keeps the last keys while the registry fails, and drops a revoked one at the next poll', async () => {
    const answers: Array<() => Promise<{ etag?: string; value: PartnerKey[] } | 'unchanged'>> = [
      () => Promise.reject(new Error('registry down')),
      async () => ({ etag: '"1"', value: [key('k1', 'mpk_one'), key('k2', 'mpk_two')] }),
      () => Promise.reject(new Error('registry down')),
      async () => 'unchanged',
      async () => ({ etag: '"2"', value: [key('k2', 'mpk_two')] }),
    ];
    const etags: Array<string | undefined> = [];
    const keys = partnerKeys({
      source: (etag) => {
        etags.push(etag);
        return answers.shift()!();
      },
      pollIntervalMs: 3_600_000,
      logger,
    });
    await keys.start();
    expect([keys.loaded, keys.lookup('mpk_one')]).toEqual([false, undefined]);
    await keys.reload();
    expect([keys.loaded, keys.lookup('mpk_one')?.id, keys.lookup('mpk_nope')]).toEqual([true, 'k1', undefined]);
    await keys.reload();
    await keys.reload();
    expect(keys.lookup('mpk_one')?.id).toBe('k1');
    await keys.reload();
    expect([keys.lookup('mpk_one'), keys.lookup('mpk_two')?.id]).toEqual([undefined, 'k2']);
    expect(etags).toEqual([undefined, undefined, '"1"', '"1"', '"1"']);
    keys.stop();
  });

  it('builds the contract schema once per version and knows when none is published', async () => {
    const sdl = 'type Query { school: School }\ntype School { name: String! }\n';
    const answers = [async () => ({ etag: '"a"', value: sdl }), async () => ({ etag: '"b"', value: sdl }), async () => ({ value: null })];
    const contract = partnerContract({ source: () => answers.shift()!(), pollIntervalMs: 3_600_000, logger });
    expect(contract.current()).toBeUndefined();
    await contract.start();
    const first = contract.current()!;
    expect(Object.keys(first.schema.getQueryType()!.getFields())).toEqual(['school']);
    await contract.reload();
    // Same text under another ETag: the same schema object, not rebuilt.
    expect(contract.current()!.schema).toBe(first.schema);
    await contract.reload();
    expect(contract.current()).toBeNull();
    contract.stop();
  });
});
