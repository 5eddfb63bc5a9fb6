import { startStack, type Stack } from '../../../testkit/stack';
import { codes, demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';

const REQUEST = `mutation($l: ID!, $n: String!, $t: String!, $s: Int!) {
  requestLessonUpload(lessonId: $l, fileName: $n, contentType: $t, sizeBytes: $s) { key url method expiresAt headers { name value } }
}`;

/** Lesson files through presigned URLs: S3 (a local S3 server) with MariaDB, the local disk with SQLite. */
describe.each(['mysql', 'sqlite'] as const)('lesson files (%s)', (dialect) => {
  let stack: Stack;
  let teacher: Person;
  let learner: Person;
  let outsider: Person;
  let course: { id: string };
  let videoLesson: string;
  beforeAll(async () => {
    stack = await startStack(dialect);
    const people = await demoPeople(stack);
    teacher = people.teacher;
    outsider = people.student;
    learner = await newMember(stack, people.admin, 'STUDENT', 'Viewer');
    course = await publishedCourse(teacher, { title: 'Films', lessons: 1, students: [learner] });
    const added = await teacher.ok(
      'mutation($c: ID!) { addLesson(courseId: $c, input: { title: "Clip", kind: VIDEO, durationSeconds: 30 }) { id } }',
      { c: course.id },
    );
    videoLesson = added.addLesson.id;
  });
  afterAll(() => stack.stop());

  const put = (upload: { url: string; method: string; headers: Array<{ name: string; value: string }> }, body: Buffer) =>
    fetch(upload.url, { method: upload.method, headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])), body });

  it('uploads a video, attaches it, and hands download links to enrolled students only', async () => {
    const body = Buffer.from('not really an mp4, but bytes all the same');
    const { requestLessonUpload: upload } = await teacher.ok(REQUEST, { l: videoLesson, n: 'Clip 1.mp4', t: 'video/mp4', s: body.length });
    expect(upload.key).toMatch(new RegExp(`^schools/[\\w-]+/courses/${course.id}/video/[0-9a-f-]{36}-Clip-1\\.mp4$`));
    expect(
      codes(
        await teacher.q('mutation($l: ID!, $k: String!) { attachLessonFile(lessonId: $l, key: $k) { id } }', {
          l: videoLesson,
          k: upload.key,
        }),
      ),
    ).toEqual(['NOT_FOUND']);
    expect((await put(upload, body)).status).toBe(200);

    const attached = await teacher.ok(
      'mutation($l: ID!, $k: String!) { attachLessonFile(lessonId: $l, key: $k) { fileName fileContentType fileSizeBytes fileUrl } }',
      {
        l: videoLesson,
        k: upload.key,
      },
    );
    expect(attached.attachLessonFile).toMatchObject({ fileName: 'Clip-1.mp4', fileContentType: 'video/mp4', fileSizeBytes: body.length });
    const q = 'query($id: ID!) { lesson(id: $id) { fileUrl } }';
    const url = (await learner.ok(q, { id: videoLesson })).lesson.fileUrl;
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(body);
    expect((await outsider.ok(q, { id: videoLesson })).lesson.fileUrl).toBeNull();
  });

  it('refuses uploads of the wrong type or size, for text lessons, by students and with foreign keys', async () => {
    expect(codes(await teacher.q(REQUEST, { l: videoLesson, n: 'a.exe', t: 'application/x-msdownload', s: 10 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await teacher.q(REQUEST, { l: videoLesson, n: 'huge.mp4', t: 'video/mp4', s: 2_000_000_000 }))).toEqual([
      'PAYLOAD_TOO_LARGE',
    ]);
    expect(codes(await teacher.q(REQUEST, { l: videoLesson, n: 'none.mp4', t: 'video/mp4', s: 0 }))).toEqual(['BAD_USER_INPUT']);
    const textLesson = (
      await teacher.ok('query($id: ID!) { course(id: $id) { lessons { id kind } } }', { id: course.id })
    ).course.lessons.find((l: { kind: string }) => l.kind === 'TEXT').id;
    expect(codes(await teacher.q(REQUEST, { l: textLesson, n: 'a.pdf', t: 'application/pdf', s: 10 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await learner.q(REQUEST, { l: videoLesson, n: 'a.mp4', t: 'video/mp4', s: 10 }))).toEqual(['FORBIDDEN']);

    const other = await publishedCourse(teacher, { title: 'Other' });
    const foreign = `schools/x/courses/${other.id}/video/00000000-0000-4000-8000-000000000000-a.mp4`;
    expect(
      codes(
        await teacher.q('mutation($l: ID!, $k: String!) { attachLessonFile(lessonId: $l, key: $k) { id } }', {
          l: videoLesson,
          k: foreign,
        }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('gives a course a thumbnail everyone who sees the course can load', async () => {
    const body = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const { requestCourseThumbnailUpload: upload } = await teacher.ok(
      'mutation($c: ID!) { requestCourseThumbnailUpload(courseId: $c, fileName: "cover.png", contentType: "image/png", sizeBytes: 4) { key url method headers { name value } } }',
      { c: course.id },
    );
    expect((await put(upload, body)).status).toBe(200);
    await teacher.ok('mutation($c: ID!, $k: String!) { attachCourseThumbnail(courseId: $c, key: $k) { id } }', {
      c: course.id,
      k: upload.key,
    });
    const { course: seen } = await outsider.ok('query($id: ID!) { course(id: $id) { thumbnailUrl } }', { id: course.id });
    expect(Buffer.from(await (await fetch(seen.thumbnailUrl)).arrayBuffer())).toEqual(body);
  });
});
