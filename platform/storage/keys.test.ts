import { assertSafeKey, courseFileKey, InvalidStorageKeyError, reportFileKey, safeFileName } from './keys';

describe('storage keys', () => {
  const ids = { schoolId: '0b0e7c9e-5d3b-4c1e-9d7a-2f8e6b1a4c3d', courseId: 'c-42' };

  it('builds schools/{school}/courses/{course}/{kind}/{uuid}-{name}, a new one per upload', () => {
    const key = courseFileKey({ ...ids, kind: 'video', fileName: 'Lesson 1.mp4' });
    expect(key).toMatch(/^schools\/0b0e7c9e-5d3b-4c1e-9d7a-2f8e6b1a4c3d\/courses\/c-42\/video\/[0-9a-f-]{36}-Lesson-1\.mp4$/);
    expect(courseFileKey({ ...ids, kind: 'video', fileName: 'Lesson 1.mp4' })).not.toBe(key);
  });

  it('refuses ids and kinds that would change the path', () => {
    expect(() => courseFileKey({ ...ids, schoolId: '../other', kind: 'video', fileName: 'a.mp4' })).toThrow(InvalidStorageKeyError);
    expect(() => courseFileKey({ ...ids, courseId: 'a/b', kind: 'video', fileName: 'a.mp4' })).toThrow(InvalidStorageKeyError);
    expect(() => courseFileKey({ ...ids, kind: '../x' as 'video', fileName: 'a.mp4' })).toThrow(InvalidStorageKeyError);
  });

  it('builds schools/{school}/reports/{job}/{name}, the same for every run of a job', () => {
    const key = reportFileKey({ schoolId: ids.schoolId, jobId: 'job-1', fileName: 'enrollments 2026-01-01.csv' });
    expect(key).toBe('schools/0b0e7c9e-5d3b-4c1e-9d7a-2f8e6b1a4c3d/reports/job-1/enrollments-2026-01-01.csv');
    expect(reportFileKey({ schoolId: ids.schoolId, jobId: 'job-1', fileName: 'enrollments 2026-01-01.csv' })).toBe(key);
    expect(() => reportFileKey({ schoolId: '../other', jobId: 'job-1', fileName: 'a.csv' })).toThrow(InvalidStorageKeyError);
    expect(() => reportFileKey({ schoolId: ids.schoolId, jobId: 'a/b', fileName: 'a.csv' })).toThrow(InvalidStorageKeyError);
  });

  it.each([
    ['../../etc/passwd', 'etc-passwd'],
    ['C:\\Users\\me\\درس ١.pdf', 'C-Users-me-درس-١.pdf'],
    ['.htaccess', 'htaccess'],
    ['ملخص الوحدة الأولى.docx', 'ملخص-الوحدة-الأولى.docx'],
    ['a\0b<script>.png', 'a-b-script-.png'],
    ['???', 'file'],
    [`${'x'.repeat(300)}.mp4`, `${'x'.repeat(96)}.mp4`],
  ])('sanitizes the file name %j to %j', (fileName, safe) => {
    expect(safeFileName(fileName)).toBe(safe);
    expect(() => assertSafeKey(`schools/s/${safeFileName(fileName)}`)).not.toThrow();
  });

  it.each(['', '/abs', 'a/../b', '..', 'a/./b', 'a//b', 'a/', 'a\\b', 'a\0b', 'a\nb', 'x'.repeat(1025)])('refuses the key %j', (key) => {
    expect(() => assertSafeKey(key)).toThrow(InvalidStorageKeyError);
  });
});
