import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { badInput } from '../../../platform/errors';
import { PushDevice, pushTokenHash } from './push-device.entity';

export const PUSH_PLATFORMS = ['ios', 'android', 'web'] as const;
export type PushPlatform = (typeof PUSH_PLATFORMS)[number];

/** FCM registration tokens are a few hundred characters; the column holds 4096. */
const MAX_TOKEN = 4096;

function checkToken(token: string): string {
  if (!token.trim() || token.length > MAX_TOKEN || /\s/.test(token)) {
    throw badInput('token must be 1 to 4096 characters without spaces', 'token');
  }
  return token;
}

/**
 * Registers `token` as a device of `userId` (apps call it on every start): one row per school and
 * token, so a phone that changes hands (another person signs in on it) moves to its new owner
 * and the previous one no longer gets its pushes. An upsert (INSERT … ON DUPLICATE KEY UPDATE /
 * ON CONFLICT): two registrations racing for one token leave one row, never a unique-key error.
 */
export async function registerPushDevice(
  em: EntityManager,
  device: { schoolId: string; userId: string; token: string; platform: string },
): Promise<void> {
  const token = checkToken(device.token);
  const platform = device.platform.trim().toLowerCase();
  if (!(PUSH_PLATFORMS as readonly string[]).includes(platform)) {
    throw badInput('platform must be ios, android or web', 'platform');
  }
  const now = new Date();
  // A plain upsert writes only what it is given: the new row's id and times are made here.
  await em.upsert(
    PushDevice,
    {
      id: randomUUID(),
      createdAt: now,
      updatedAt: now,
      schoolId: device.schoolId,
      userId: device.userId,
      tokenHash: pushTokenHash(token),
      token,
      platform,
      lastSeenAt: now,
    },
    {
      onConflictFields: ['schoolId', 'tokenHash'],
      onConflictAction: 'merge',
      onConflictMergeFields: ['userId', 'platform', 'lastSeenAt', 'updatedAt'],
    },
  );
}

/** Forgets the signed-in person's device (sign-out): only their own; true when there was one. */
export async function unregisterPushDevice(em: EntityManager, userId: string, token: string): Promise<boolean> {
  return (await em.nativeDelete(PushDevice, { userId, tokenHash: pushTokenHash(checkToken(token)) })) > 0;
}
