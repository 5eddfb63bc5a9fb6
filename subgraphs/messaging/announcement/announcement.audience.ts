import type { EntityManager } from '@mikro-orm/core';
import { courseAudience } from '../course/audience';

/**
 * Who hears a course's announcements: the students enrolled now and their guardians, each once
 * (a parent of two students of the course gets one notification), students first. Deactivated
 * people drop out in `notify` (the contact read model). None for a course deleted meanwhile.
 */
export async function announcementAudience(em: EntityManager, courseId: string): Promise<string[]> {
  const { studentIds, guardianIdsByStudent } = await courseAudience(em, courseId);
  return [...new Set([...studentIds, ...[...guardianIdsByStudent.values()].flat()])];
}
