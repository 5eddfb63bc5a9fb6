import { Roles } from '../../../platform/auth/roles';
import type { Viewer } from '../../../platform/auth/viewer';
import { appError, ErrorCode, forbidden } from '../../../platform/errors';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import type { Contact } from '../contact/contact.entity';
import type { MessagingContext } from '../context';
import type { Conversation } from './conversation.entity';

/**
 * Who may talk to whom, read from the local read models of people (Contact), guardian links and
 * courses (CourseInfo, CourseEnrollment), all through the request's tenant-scoped EntityManager:
 * another school's person is simply not there, and is answered "not found" like an id that does
 * not exist, never "forbidden", so that no one learns it exists. Each check is a fixed number of
 * `IN (…)` queries, whatever the number of participants.
 */
export const conversationPolicy = {
  /**
   * The conversation if the viewer takes part in it, or is an admin of its school; null
   * otherwise. Read through the request's tenant-scoped loaders: another school's is not found.
   */
  async readable(ctx: MessagingContext, viewer: Viewer, id: string): Promise<Conversation | null> {
    const conversation = await ctx.loaders.conversation.load(id);
    if (!conversation) return null;
    if (viewer.isAdmin || (await isParticipant(ctx, viewer, id))) return conversation;
    return null;
  },

  /**
   * The conversation if the viewer takes part in it (sending, read marks, the live feed): NOT_FOUND
   * when they cannot read it, FORBIDDEN for an admin who can read it but is not in it.
   */
  async participating(ctx: MessagingContext, viewer: Viewer, id: string): Promise<Conversation> {
    const conversation = await conversationPolicy.readable(ctx, viewer, id);
    if (!conversation) throw conversationNotFound();
    if (!(await isParticipant(ctx, viewer, id))) throw forbidden('Only the people of a conversation can write in it or mark it read');
    return conversation;
  },

  /**
   * Checks that the viewer may start a conversation with `others` (distinct ids, the viewer not
   * among them), about `studentId` when given:
   * - a parent with the teachers of their children's courses and with school admins;
   * - a teacher with the parents of the students of their courses and with school admins;
   * - a school admin with anyone active in the school;
   * - `studentId` must be a child of every parent and a student of a course of every teacher
   *   among all the people of the conversation (the viewer included).
   * Everyone must be an active person of the school (NOT_FOUND otherwise).
   */
  async assertMayStart(ctx: MessagingContext, viewer: Viewer, others: string[], studentId: string | undefined): Promise<void> {
    const found = await ctx.loaders.contact.loadMany(studentId ? [...others, studentId] : others);
    const byId = new Map(found.flatMap((c) => (c && !(c instanceof Error) && c.active ? [[c.id, c] as const] : [])));
    if (others.some((id) => !byId.has(id))) throw appError(ErrorCode.NOT_FOUND, 'A participant was not found', { field: 'participantIds' });
    const student = studentId ? byId.get(studentId) : undefined;
    if (studentId && !student?.roles.includes(Roles.STUDENT)) {
      throw appError(ErrorCode.NOT_FOUND, 'Student not found', { field: 'studentId' });
    }

    if (!viewer.isAdmin) {
      const reachable = await reachableBy(ctx, viewer);
      const refused = others.filter((id) => !isSchoolAdmin(byId.get(id)!) && !reachable.has(id));
      if (refused.length) throw forbidden('You cannot start a conversation with some of these people');
    }
    if (student) {
      await assertAbout(
        ctx,
        viewer,
        others.map((id) => byId.get(id)!),
        student.id,
      );
    }
  },
};

const isSchoolAdmin = (c: Pick<Contact, 'roles'>) => c.roles.includes(Roles.SCHOOL_ADMIN);

export const conversationNotFound = () => appError(ErrorCode.NOT_FOUND, 'Conversation not found');

async function isParticipant(ctx: MessagingContext, viewer: Viewer, conversationId: string): Promise<boolean> {
  const participants = await ctx.loaders.participantsOfConversation.load(conversationId);
  return participants.some((p) => p.userId === viewer.id);
}

/** Loaded values, without the keys that had none. */
const present = <T>(values: Array<T | null | Error>): T[] => values.filter((v): v is T => v !== null && !(v instanceof Error));

/** The teachers of (live) courses among `courseIds`. */
async function teachersOf(ctx: MessagingContext, courseIds: string[]): Promise<string[]> {
  const courses = present(await ctx.loaders.courseInfo.loadMany([...new Set(courseIds)]));
  return courses.filter((c) => !c.deletedAt).map((c) => c.teacherId);
}

/**
 * The people a parent or a teacher (not an admin) may write to besides admins: the teachers of
 * their children's courses, and the guardians of the students of the courses they teach.
 */
async function reachableBy(ctx: MessagingContext, viewer: Viewer): Promise<Set<string>> {
  const reachable = new Set<string>();
  if (viewer.isParent) {
    const children = await ctx.loaders.childIds.load(viewer.id);
    const courseIds = present(await ctx.loaders.activeCourseIdsOfStudent.loadMany(children)).flat();
    for (const teacherId of await teachersOf(ctx, courseIds)) reachable.add(teacherId);
  }
  if (viewer.isTeacher) {
    const taught = await ctx.loaders.taughtCourseIds.load(viewer.id);
    const students = [...new Set(present(await ctx.loaders.activeStudentIds.loadMany(taught)).flat())];
    // The other way round from the guardian loader (children of a guardian): guardians of these students.
    const links = students.length ? await ctx.em.find(GuardianLink, { studentId: { $in: students } }) : [];
    for (const l of links) reachable.add(l.guardianId);
  }
  return reachable;
}

/**
 * A conversation about a student: every person in it (the viewer included) must be an admin of the
 * school, the student, a guardian of the student, or the teacher of a course the student is
 * enrolled in; a parent who is not the student's guardian, or a teacher who does not teach them,
 * makes it refused.
 */
async function assertAbout(ctx: MessagingContext, viewer: Viewer, others: Contact[], studentId: string): Promise<void> {
  const people = [{ id: viewer.id, admin: viewer.isAdmin }, ...others.map((c) => ({ id: c.id, admin: isSchoolAdmin(c) }))].filter(
    (p) => !p.admin && p.id !== studentId,
  );
  if (!people.length) return;
  const [guardians, courseIds] = await Promise.all([
    ctx.em.find(GuardianLink, { studentId, guardianId: { $in: people.map((p) => p.id) } }),
    ctx.loaders.activeCourseIdsOfStudent.load(studentId),
  ]);
  const related = new Set([...guardians.map((g) => g.guardianId), ...(await teachersOf(ctx, courseIds))]);
  if (people.some((p) => !related.has(p.id))) {
    throw forbidden('A conversation about a student is only between their parents, their teachers and school admins');
  }
}
