import { Writable } from 'node:stream';
import { createLogger } from './logger';

/** Log lines written through createLogger, parsed. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('test', 'info', stream), text: () => lines.join('\n') };
}

describe('log redaction', () => {
  it('never writes credentials, nor the tokens and codes that events carry for delivery, wherever they sit', () => {
    const { logger, text } = capture();
    logger.info({ password: 's1', input: { newPassword: 's2', currentPassword: 's3' } }, 'credentials');
    logger.info({ authorization: 'Bearer s4', refreshToken: 's5' }, 'headers');
    // A domain event (reset, invitation), a broker message carrying one, a pairing code.
    logger.info({ event: { type: 'password.reset.requested', payload: { token: 's6', email: 'a@demo.test' } } }, 'event');
    logger.warn({ message: { id: 'm1', payload: { type: 'invitation.created', payload: { token: 's7' } } } }, 'message');
    logger.info({ payload: { code: 's8', studentId: 'x' } }, 'payload');
    logger.info({ message: { payload: { payload: { code: 's9' } } } }, 'pairing');
    for (const secret of ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9']) expect(text()).not.toContain(`"${secret}"`);
    expect(text()).toContain('a@demo.test');
    expect(text()).toContain('[redacted]');
  });

  it("keeps an error's code", () => {
    const { logger, text } = capture();
    logger.error({ err: Object.assign(new Error('boom'), { code: 'ECONNREFUSED' }) }, 'failed');
    expect(JSON.parse(text()).err.code).toBe('ECONNREFUSED');
  });
});
