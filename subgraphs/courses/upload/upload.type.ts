import { Field, ObjectType } from 'type-graphql';

@ObjectType()
export class HttpHeader {
  @Field()
  name!: string;

  @Field()
  value!: string;
}

@ObjectType({ description: 'Where to PUT a file; then call the matching attach mutation with `key`.' })
export class FileUpload {
  @Field({ description: 'Pass this to attachLessonFile / attachCourseThumbnail once the upload finished.' })
  key!: string;

  @Field()
  url!: string;

  @Field()
  method!: string;

  @Field(() => [HttpHeader], { description: 'Send these headers with the PUT, unchanged.' })
  headers!: HttpHeader[];

  @Field()
  expiresAt!: Date;
}
