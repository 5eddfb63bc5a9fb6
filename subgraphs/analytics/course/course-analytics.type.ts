import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "A course's learning figures, over the students enrolled in it now. Rates and scores are shares, 0..1." })
export class CourseAnalytics {
  @Field(() => Int, { description: 'Students with an active enrollment.' })
  enrolledStudents!: number;

  @Field(() => Int, {
    description: 'Of them, those who completed a lesson, submitted a quiz or attended a live session in the last 7 days.',
  })
  activeStudents7d!: number;

  @Field(() => Float, { description: 'Their average progress (share of the lessons completed); 0 without students.' })
  averageProgress!: number;

  @Field(() => Float, { description: 'Share of them who completed every lesson; 0 without students.' })
  completionRate!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Average of each student's best score per quiz, as a share of the quiz's maximum; null before any.",
  })
  averageQuizScore?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of the attendances of ended live sessions that were PRESENT or LATE (excused ones left out); null before any.',
  })
  attendanceRate?: number | null;
}
