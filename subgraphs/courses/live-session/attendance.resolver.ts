import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { CoursesContext } from '../context';
import { UserRef, userRef } from '../references';
import { Attendance } from './attendance.entity';
import { LiveSession, LiveSessionStatus } from './live-session.entity';
import { staySeconds } from './attendance.rules';

@Resolver(() => Attendance)
export class AttendanceResolver {
  @FieldResolver(() => UserRef)
  student(@Root() attendance: Attendance): UserRef {
    return userRef(attendance.studentId);
  }

  @FieldResolver(() => LiveSession)
  async session(@Root() attendance: Attendance, @Ctx() ctx: CoursesContext): Promise<LiveSession> {
    return (await ctx.loaders.liveSession.load(attendance.session.id))!;
  }

  @FieldResolver(() => Int, { description: 'Seconds in the room over all stays, including the current one.' })
  async totalSeconds(@Root() attendance: Attendance, @Ctx() ctx: CoursesContext): Promise<number> {
    if (!attendance.joinedAt) return attendance.totalSeconds;
    const session = await ctx.loaders.liveSession.load(attendance.session.id);
    const open = session?.status === LiveSessionStatus.LIVE ? staySeconds(attendance.joinedAt, new Date()) : 0;
    return attendance.totalSeconds + open;
  }
}
