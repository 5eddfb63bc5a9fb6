import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { canStudyLesson } from '../lesson/lesson.resolver';
import { Lesson } from '../lesson/lesson.entity';
import { FileUpload } from './upload.type';
import type { UploadService } from './upload.service';

@Resolver()
export class UploadResolver {
  constructor(private readonly uploads: UploadService) {}

  @Authorized()
  @Mutation(() => FileUpload, { description: "The course's teacher or a school admin: where to upload a VIDEO or DOCUMENT lesson's file." })
  requestLessonUpload(
    @Arg('lessonId', () => ID) lessonId: string,
    @Arg('fileName') fileName: string,
    @Arg('contentType') contentType: string,
    @Arg('sizeBytes', () => Int) sizeBytes: number,
    @Ctx() ctx: CoursesContext,
  ): Promise<FileUpload> {
    return this.uploads.requestLessonUpload(ctx, lessonId, fileName, contentType, sizeBytes);
  }

  @Authorized()
  @Mutation(() => Lesson, {
    description: 'Attaches an uploaded file (the key from requestLessonUpload) to the lesson, replacing the previous one.',
  })
  attachLessonFile(@Arg('lessonId', () => ID) lessonId: string, @Arg('key') key: string, @Ctx() ctx: CoursesContext): Promise<Lesson> {
    return this.uploads.attachLessonFile(ctx, lessonId, key);
  }

  @Authorized()
  @Mutation(() => FileUpload, { description: "The course's teacher or a school admin: where to upload the course's cover image." })
  requestCourseThumbnailUpload(
    @Arg('courseId', () => ID) courseId: string,
    @Arg('fileName') fileName: string,
    @Arg('contentType') contentType: string,
    @Arg('sizeBytes', () => Int) sizeBytes: number,
    @Ctx() ctx: CoursesContext,
  ): Promise<FileUpload> {
    return this.uploads.requestThumbnailUpload(ctx, courseId, fileName, contentType, sizeBytes);
  }

  @Authorized()
  @Mutation(() => Course)
  attachCourseThumbnail(@Arg('courseId', () => ID) courseId: string, @Arg('key') key: string, @Ctx() ctx: CoursesContext): Promise<Course> {
    return this.uploads.attachThumbnail(ctx, courseId, key);
  }
}

@Resolver(() => Lesson)
export class LessonFileResolver {
  constructor(private readonly uploads: UploadService) {}

  @FieldResolver(() => String, {
    nullable: true,
    description: 'A download link valid for an hour; for enrolled students, the teacher and admins.',
  })
  async fileUrl(@Root() lesson: Lesson, @Ctx() ctx: CoursesContext): Promise<string | null> {
    if (!lesson.fileKey || !(await canStudyLesson(ctx, lesson))) return null;
    return this.uploads.downloadUrl(lesson.fileKey, lesson.fileName);
  }
}

@Resolver(() => Course)
export class CourseThumbnailResolver {
  constructor(private readonly uploads: UploadService) {}

  @FieldResolver(() => String, { nullable: true, description: 'A link to the cover image, valid for an hour.' })
  async thumbnailUrl(@Root() course: Course): Promise<string | null> {
    return course.thumbnailKey ? this.uploads.downloadUrl(course.thumbnailKey) : null;
  }
}
