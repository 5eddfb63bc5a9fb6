import { Arg, Ctx, Directive, Field, ID, InputType, ObjectType, Query, Resolver } from 'type-graphql';
import {
  InternalContextError,
  vouchedIdentities,
  type InternalContext,
  type InternalContextVerifier,
} from '../../../platform/auth/internal-context';
import type { EventBus } from '../../../platform/bus/event-bus';
import { badInput, forbidden, unauthenticated } from '../../../platform/errors';
import { createLiveFeeds, feedInfo } from '../../../platform/graphql/live-stream';
import type { Sharing } from '../../../platform/graphql/subscription-protocol';
import { redisUnavailable } from '../../../platform/redis';
import type { CoursesContext } from '../context';
import { watchLiveSession } from './live-session.subscription';

/** Subscribers one call may admit: a class starting is a burst; the gateway sends at most this many at once. */
export const MAX_ADMISSIONS_PER_CALL = 1000;

@Directive('@inaccessible')
@InputType('LiveSessionEventsAdmissionRequest', {
  description: 'One subscriber of `liveSessionEvents` to admit: its arguments, and who it is.',
})
export class LiveSessionEventsAdmissionRequest {
  @Field({
    description:
      "Who the subscriber is: the identity's claims (JSON), one of those the call's own signed context vouches for (its digest), or else the subscriber's own gateway-signed internal context (audience courses).",
  })
  viewer!: string;

  @Field(() => ID)
  sessionId!: string;

  @Field(() => ID, { nullable: true })
  after?: string | null;
}

@Directive('@inaccessible')
@Directive('@shareable')
@ObjectType('SubscriptionAdmission', {
  description: 'How an admitted subscriber may share its feed (subscription-protocol.ts `Admission`).',
})
export class SubscriptionAdmission {
  @Field(() => String)
  sharing!: Sharing;

  @Field()
  replays!: boolean;
}

/**
 * The gateway's batched admissions to `liveSessionEvents`: a class starting is thousands of
 * subscribers within seconds, and one graphql-ws admission each costs this subgraph a token
 * check, a context and three queries per subscriber. Here one call answers for many, each
 * element on its own: its own identity, which the call's signed context vouches for (the digest
 * of every element's identity, in order: one signature for the batch), or which is its own
 * signed context (verified as every subgraph call is; what a gateway before vouching sent), judged by
 * the same rule as the subscription (`watchLiveSession`), refused with its own error at its own
 * index (a bad element never fails nor admits the others). The call's own context names the
 * school; an element signed for another school is refused. The elements share the call's
 * tenant-scoped loaders (keyed by ids, never by viewer), so a batch reads each session, course
 * and enrollment once. Only the gateway calls it (`@inaccessible`: not part of the public API).
 */
@Resolver()
export class LiveSessionAdmissionResolver {
  constructor(
    private readonly verify: InternalContextVerifier,
    private readonly bus: EventBus,
  ) {}

  @Directive('@inaccessible')
  @Query(() => [SubscriptionAdmission], {
    nullable: 'items',
    description: 'Admissions of `liveSessionEvents` subscribers, in order; null with an error at its index for each one refused.',
  })
  liveSessionEventsAdmissions(
    @Arg('requests', () => [LiveSessionEventsAdmissionRequest]) requests: LiveSessionEventsAdmissionRequest[],
    @Ctx() ctx: CoursesContext,
  ): Promise<SubscriptionAdmission>[] {
    if (!ctx.tenant) throw unauthenticated();
    if (requests.length > MAX_ADMISSIONS_PER_CALL) throw badInput(`At most ${MAX_ADMISSIONS_PER_CALL} admissions per call`, 'requests');
    // Every identity is checked first, then every element goes on in the same turn: their
    // session, course and enrollment reads then reach the loaders together (one query each).
    const viewers = ctx.vouches
      ? Promise.resolve(vouched(ctx, requests))
      : Promise.all(requests.map((r) => this.verify(r.viewer).catch((err: unknown) => err)));
    // Each element settles on its own: graphql-js places a rejection at its index.
    return requests.map(async (request, i) => this.admit(ctx, request, (await viewers)[i]));
  }

  private async admit(ctx: CoursesContext, request: LiveSessionEventsAdmissionRequest, verified: unknown): Promise<SubscriptionAdmission> {
    if (verified instanceof InternalContextError) throw unauthenticated();
    if (verified instanceof Error) throw verified;
    const viewer = verified as InternalContext;
    // A batch is one school's: an identity of another school is not judged inside this one.
    if (viewer.tenant?.id !== ctx.tenant!.id) throw forbidden('Not allowed to follow this live session');
    const own: CoursesContext = {
      ...ctx,
      user: viewer.user,
      ip: viewer.ip,
      requestId: viewer.requestId ?? ctx.requestId,
      locale: viewer.locale ?? ctx.locale,
    };
    const feed = await watchLiveSession(own, createLiveFeeds(this.bus), request);
    // As the graphql-ws admission (subgraph-ws.ts): the feed is lazy and is closed unread, and
    // a client admitted while the bus is away could not tell that from a quiet room.
    const info = feedInfo(feed);
    await feed.return?.();
    if (info && !this.bus.available()) throw redisUnavailable('Live updates');
    return { sharing: info?.sharing ?? 'viewer', replays: info?.replays ?? false };
  }
}

/** The identities the call vouches for, or, when the body is not what it vouches for, that refusal for every element. */
function vouched(ctx: CoursesContext, requests: LiveSessionEventsAdmissionRequest[]): unknown[] {
  try {
    return vouchedIdentities(
      ctx,
      requests.map((r) => r.viewer),
    );
  } catch (err) {
    return requests.map(() => err);
  }
}
