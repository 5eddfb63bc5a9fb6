import { IsEmail, IsOptional, Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';

/** How the provider may reach the payer (its receipt, a Fawry reference by SMS); never stored by billing. */
@InputType()
export class PaymentContactInput {
  @Field(() => String, { nullable: true, description: 'Egyptian mobile number, e.g. 01012345678.' })
  @IsOptional()
  @Matches(/^(\+20|0)?1[0125]\d{8}$/, { message: 'phone must be an Egyptian mobile number' })
  phone?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  email?: string;
}
