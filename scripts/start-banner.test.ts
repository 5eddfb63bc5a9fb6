import { describeBackends } from './start-banner';

describe('the start banner', () => {
  it('names the in-process adapters when nothing is configured', () => {
    expect(describeBackends({})).toBe('database: SQLite under data/, live bus: in-process, broker: in-process');
  });

  it('names each backend in use on its own, by host only', () => {
    // A database without Redis runs the in-process bus: the banner must not claim Redis.
    expect(describeBackends({ DATABASE_URL: 'mysql://root:secret@db.internal:3306/manassa', AMQP_URL: 'amqp://guest:pw@mq:5672' })).toBe(
      'database: MySQL at db.internal:3306, live bus: in-process, broker: RabbitMQ at mq:5672',
    );
    const line = describeBackends({ REDIS_URL: 'redis://:hunter2@cache.internal:6380/2', DATA_DIR: '/var/lib/manassa' });
    expect(line).toBe('database: SQLite under /var/lib/manassa/, live bus: Redis at cache.internal:6380, broker: in-process');
    expect(line).not.toContain('hunter2');
  });
});
