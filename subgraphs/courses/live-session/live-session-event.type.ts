import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { BusEvent } from '../../../platform/bus/event-bus';
import { LiveSessionEventKind, type LiveSessionEventData } from './live-event';

registerEnumType(LiveSessionEventKind, { name: 'LiveSessionEventKind' });

/**
 * One classroom event as GraphQL serves it, built from the bus event (`liveSessionEventFromBus`),
 * for the mutations that produce one and for `Subscription.liveSessionEvents`. `session`,
 * `actor`, `subject` and `poll` resolve in live-session-event.resolver.ts.
 */
@ObjectType('LiveSessionEvent')
export class LiveSessionEventView {
  @Field(() => ID, { description: 'Stream position; pass it back as `after` to resume without a gap.' })
  id!: string;

  @Field(() => LiveSessionEventKind)
  kind!: LiveSessionEventKind;

  @Field()
  at!: Date;

  @Field(() => String, { nullable: true, description: 'Chat text, or the emoji of a REACTION.' })
  text?: string;

  data!: LiveSessionEventData;
}

export function liveSessionEventFromBus(event: BusEvent<LiveSessionEventData>): LiveSessionEventView {
  return Object.assign(new LiveSessionEventView(), {
    id: event.id,
    kind: event.data.kind,
    at: new Date(event.data.at),
    text: event.data.text,
    data: event.data,
  });
}
