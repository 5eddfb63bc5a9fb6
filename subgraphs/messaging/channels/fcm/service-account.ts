import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The fields of a Google service account key file that the FCM HTTP v1 API needs. */
const serviceAccountSchema = z.object({
  project_id: z.string().min(1),
  client_email: z.string().min(1),
  private_key: z.string().includes('PRIVATE KEY'),
  private_key_id: z.string().optional(),
  token_uri: z.string().url().default('https://oauth2.googleapis.com/token'),
});
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

/**
 * The service account of FCM_SERVICE_ACCOUNT (the JSON itself) or FCM_SERVICE_ACCOUNT_FILE (a
 * file holding it, as Kubernetes mounts secrets). Read once at start: a broken key stops the
 * start with the reason, rather than failing every push later.
 */
export function loadServiceAccount(source: { serviceAccount?: string; serviceAccountFile?: string }): ServiceAccount {
  const text = source.serviceAccount ?? (source.serviceAccountFile ? readFileSync(source.serviceAccountFile, 'utf8') : undefined);
  if (!text) throw new Error('FCM needs FCM_SERVICE_ACCOUNT or FCM_SERVICE_ACCOUNT_FILE');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the FCM service account is not JSON');
  }
  const parsed = serviceAccountSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new Error(`the FCM service account lacks or has invalid: ${fields}`);
  }
  return parsed.data;
}
