/**
 * What `npm start` says it runs on: the database, live event bus and broker actually in use, as
 * the services chose them from the same variables (an unset URL means the in-process adapter).
 * Hosts only: URLs may carry passwords.
 */
export function describeBackends(env: { DATABASE_URL?: string; REDIS_URL?: string; AMQP_URL?: string; DATA_DIR?: string }): string {
  const at = (url: string) => {
    try {
      return new URL(url).host || url.split('@').pop()!;
    } catch {
      return 'an unreadable URL';
    }
  };
  return [
    `database: ${env.DATABASE_URL ? `MySQL at ${at(env.DATABASE_URL)}` : `SQLite under ${env.DATA_DIR ?? 'data'}/`}`,
    `live bus: ${env.REDIS_URL ? `Redis at ${at(env.REDIS_URL)}` : 'in-process'}`,
    `broker: ${env.AMQP_URL ? `RabbitMQ at ${at(env.AMQP_URL)}` : 'in-process'}`,
  ].join(', ');
}
