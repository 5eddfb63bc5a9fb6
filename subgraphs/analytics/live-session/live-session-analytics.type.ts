import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "A live session's classroom figures: as they are now while it runs, its final ones once it ended." })
export class LiveSessionAnalytics {
  @Field(() => Int, { description: 'People in the room now (students, the teacher, admins); 0 once the session ended.' })
  inRoomNow!: number;

  @Field(() => Int, { description: 'The most people in the room at once.' })
  peakInRoom!: number;

  @Field(() => Int, { description: 'Hands raised (each raise counts, also a second one by the same person).' })
  handsRaised!: number;

  @Field(() => Int, { description: 'Chat messages sent.' })
  chatMessages!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0..1) of the people who joined that answered at least one poll, whoever started polls left out of both; null before any poll.',
  })
  pollParticipation?: number | null;
}
