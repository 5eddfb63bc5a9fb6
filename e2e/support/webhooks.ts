import type { PartnerEndpoint } from '../../registry/testing';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../registry/webhook/signature';

/** True when a notice a partner endpoint received carries a valid signature for `secret`. */
export function isSignedNotice(secret: string, notice: PartnerEndpoint['received'][number]): boolean {
  return verifySignature(
    secret,
    { signature: notice.headers[SIGNATURE_HEADER] as string, timestamp: notice.headers[TIMESTAMP_HEADER] as string },
    notice.body,
  );
}
