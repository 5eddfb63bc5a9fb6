import { ProviderError, type ChannelAdapter, type OutgoingMessage, type SendResult } from '../channel';
import { FcmAuth } from './fcm-auth';
import type { ServiceAccount } from './service-account';

/**
 * FCM error codes (`FcmError.errorCode`) meaning the registration token will never work again:
 * the app was uninstalled or the token belongs to another Firebase project. The push worker
 * deletes the device on a ProviderError with one of these codes.
 */
export const FCM_DEAD_TOKEN_CODES: readonly string[] = ['UNREGISTERED', 'SENDER_ID_MISMATCH'];

export interface PushAdapterOptions {
  /** e.g. https://fcm.googleapis.com, without a trailing slash (FCM_BASE_URL). */
  baseUrl: string;
  serviceAccount: ServiceAccount;
  /** Bound on each call (PROVIDER_TIMEOUT_MS). */
  timeoutMs: number;
  /** Tokens of the service account; default one made here (tests pass one with a moved clock). */
  auth?: FcmAuth;
}

/** An FCM v1 error body: google.rpc.Status with FcmError details. */
interface FcmErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: Array<{ '@type'?: string; errorCode?: string }>;
  };
}

/**
 * Push through FCM HTTP v1 (`messages:send`), one request per device token. The notification id
 * is the collapse key on Android and the `apns-collapse-id` on iOS, so a notification sent again
 * (after a crash, or a retry whose first try did arrive) replaces itself on the device instead
 * of showing twice.
 */
export function pushAdapter(options: PushAdapterOptions): ChannelAdapter {
  const auth = options.auth ?? new FcmAuth(options.serviceAccount, options.timeoutMs);
  const url = `${options.baseUrl}/v1/projects/${encodeURIComponent(options.serviceAccount.project_id)}/messages:send`;

  const post = async (token: string, body: string): Promise<Response> => {
    try {
      return await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (err as Error).message;
      throw new ProviderError(`FCM could not be reached: ${reason}`, false, 'NETWORK');
    }
  };

  return {
    channel: 'PUSH',
    describe: `FCM ${options.baseUrl} (project ${options.serviceAccount.project_id})`,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const collapseId = message.notificationId;
      const body = JSON.stringify({
        message: {
          token: message.to,
          notification: { title: message.subject, body: message.text },
          data: { notificationId: message.notificationId, ...message.data },
          android: { collapse_key: collapseId },
          apns: { headers: { 'apns-collapse-id': collapseId } },
        },
      });
      let token = await auth.accessToken();
      let res = await post(token, body);
      if (res.status === 401) {
        // The cached token was revoked or the clocks disagree: one fresh token, one more try.
        await res.body?.cancel();
        auth.invalidate(token);
        token = await auth.accessToken();
        res = await post(token, body);
      }
      const text = await res.text().catch(() => '');
      if (res.ok) {
        const name = (JSON.parse(text || '{}') as { name?: string }).name;
        return { providerMessageId: name, status: 'SENT' };
      }
      throw fcmProviderError(res.status, text);
    },
    close: async () => {},
  };
}

/**
 * 429 (quota) and 5xx are retried; any other refusal is permanent. The code is FCM's own
 * (`UNREGISTERED`, `INVALID_ARGUMENT`, …, from the FcmError detail, else the RPC status) so the
 * worker can tell a dead token from a bad message.
 */
export function fcmProviderError(httpStatus: number, text: string): ProviderError {
  let body: FcmErrorBody = {};
  try {
    body = JSON.parse(text) as FcmErrorBody;
  } catch {
    // Not JSON (a proxy's page): the HTTP status is all there is.
  }
  const fcmCode = body.error?.details?.find((d) => d['@type']?.endsWith('google.firebase.fcm.v1.FcmError'))?.errorCode;
  const code = fcmCode ?? body.error?.status ?? String(httpStatus);
  const permanent = httpStatus >= 400 && httpStatus < 500 && httpStatus !== 429;
  return new ProviderError(`FCM refused the push (${httpStatus}, ${code}): ${body.error?.message ?? text.slice(0, 200)}`, permanent, code);
}
