/** The envelope every domain event travels in (documented in platform/events/domain-events.ts). */
export interface DomainEvent<T = unknown> {
  /** UUID; the broker message id; stable across republishes (idempotency key). */
  id: string;
  /** Routing key, e.g. `enrollment.created`. */
  type: string;
  /** Schema version of `payload` for this type; bump on incompatible change. */
  version: number;
  /** School (tenant) id the event belongs to. */
  tenantId: string;
  /** ISO-8601 UTC time the change happened. */
  occurredAt: string;
  payload: T;
}

/** What `recordEvent` needs; `domainEvent()` in platform/events builds it type-checked. */
export interface NewDomainEvent<T = unknown> {
  type: string;
  /** Default 1. */
  version?: number;
  tenantId: string;
  payload: T;
  /** Default: now. */
  occurredAt?: Date;
}
