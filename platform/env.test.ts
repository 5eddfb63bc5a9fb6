import { z } from 'zod';
import { ConfigError, baseEnv, flag, parseEnv, port } from './env';

describe('parseEnv', () => {
  const schema = z.object({ ...baseEnv, PORT: port(4000), DEBUG: z.string().optional() });

  it('applies defaults', () => {
    const env = parseEnv(schema, {}, { exit: false });
    expect(env).toMatchObject({ PORT: 4000, NODE_ENV: 'development', DATA_DIR: 'data' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('reports every invalid variable at once', () => {
    let error: ConfigError | undefined;
    try {
      parseEnv(schema, { PORT: 'eighty', NODE_ENV: 'staging', REDIS_URL: 'http://x', DATABASE_URL: 'postgres://x' }, { exit: false });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.keys.sort()).toEqual(['DATABASE_URL', 'NODE_ENV', 'PORT', 'REDIS_URL']);
    expect(error!.message).toMatch(/REDIS_URL: must be a URL starting with redis:\/\/ or rediss:\/\//);
  });

  it('exits non-zero after printing all problems', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(() => parseEnv(schema, { PORT: '-1', AMQP_URL: 'nope' })).toThrow('exit 1');
    expect(String(write.mock.calls[0][0])).toMatch(/PORT[\s\S]*AMQP_URL|AMQP_URL[\s\S]*PORT/);
    exit.mockRestore();
    write.mockRestore();
  });

  it('reads flags leniently and treats empty URLs as unset', () => {
    const f = z.object({ A: flag(false), B: flag(true), C: flag(true), REDIS_URL: baseEnv.REDIS_URL });
    expect(parseEnv(f, { A: 'yes', B: '0', C: '', REDIS_URL: '' }, { exit: false })).toEqual({
      A: true,
      B: false,
      C: true,
      REDIS_URL: undefined,
    });
  });
});
