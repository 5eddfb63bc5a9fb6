import { createS3Storage } from './s3-storage';
import { startTestS3, type TestS3 } from '../../testkit/s3-server';
import { describeStorageContract } from '../../testkit/contracts/storage';

let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3();
});

afterAll(async () => {
  await s3.close();
});

const open = (now?: () => Date) =>
  createS3Storage({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    now,
  });

describeStorageContract('s3 (s3rver)', {
  create: (opts) => open(opts?.now),
  signatureParam: 'X-Amz-Signature',
});

describe('s3 storage', () => {
  it('signs content type and length into upload URLs, and no checksum of an empty body', async () => {
    const storage = open();
    try {
      const upload = await storage.presignUpload('schools/a/courses/b/video/c.mp4', { contentType: 'video/mp4', size: 42, maxBytes: 100 });
      const query = new URL(upload.url).searchParams;
      // What S3 enforces is what the signature covers.
      expect(query.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
      expect([...query.keys()].filter((name) => name.toLowerCase().startsWith('x-amz-checksum'))).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
