import { Field, InputType } from 'type-graphql';
import { Channel } from '../notification.entity';
import { Locale } from './locale';

/** A school's wording of one template key, for one channel (or every channel) and one language. */
@InputType()
export class TemplateInput {
  @Field({ description: 'Lower-case words joined by `.`, `_` or `-` (`announcement.general`), at most 100 characters.' })
  key!: string;

  @Field(() => Channel, { nullable: true, description: 'Only for this channel; unset: every channel.' })
  channel?: Channel | null;

  @Field(() => Locale)
  locale!: Locale;

  @Field({ description: 'Handlebars; at most 200 characters.' })
  subject!: string;

  @Field({ description: 'Handlebars; at most 4000 characters.' })
  text!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Handlebars, values HTML-escaped; at most 20000 characters. Unset: the text with line breaks.',
  })
  html?: string | null;
}
