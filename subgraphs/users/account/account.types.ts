import { Field, InputType } from 'type-graphql';
import { Locale } from '../user/role';

@InputType({ description: 'What a person changes about themselves; a field left out stays as it is.' })
export class UpdateMeInput {
  @Field(() => String, { nullable: true, description: 'Not blank, at most 200 characters.' })
  displayName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'International (+201001234567) or Egyptian (01001234567) form, stored as E.164; null or "" removes it.',
  })
  phone?: string | null;

  @Field(() => Locale, {
    nullable: true,
    description:
      'Language of messages. Applies to access tokens issued after the change (the next refreshToken or login); until then requests answer in the language of the current token unless they send Accept-Language.',
  })
  locale?: Locale | null;
}
