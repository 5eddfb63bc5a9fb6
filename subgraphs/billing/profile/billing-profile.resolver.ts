import { IsOptional, Length, MaxLength } from 'class-validator';
import { NotBlank } from '../../../platform/graphql/validation';
import { Arg, Authorized, Ctx, Field, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { Roles } from '../../../platform/auth/roles';
import { viewerOf } from '../../../platform/auth/viewer';
import type { BillingContext } from '../context';
import { Locale } from '../money/money';
import { BillingProfile } from './billing-profile.entity';

@InputType()
export class BillingProfileInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  legalName!: string;

  @Field(() => Locale)
  locale!: Locale;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(50)
  taxRegistrationNumber?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(300)
  address?: string;
}

@Resolver(() => BillingProfile)
export class BillingProfileResolver {
  @Authorized(Roles.SCHOOL_ADMIN, Roles.PLATFORM_ADMIN)
  @Query(() => BillingProfile, { nullable: true, description: "The school's invoicing details; null until an admin sets them." })
  billingProfile(@Ctx() ctx: BillingContext): Promise<BillingProfile | null> {
    return ctx.loaders.billingProfile.load(viewerOf(ctx).schoolId);
  }

  @Authorized(Roles.SCHOOL_ADMIN, Roles.PLATFORM_ADMIN)
  @Mutation(() => BillingProfile, { description: 'Sets what invoices issued from now on print (issued ones keep theirs).' })
  async updateBillingProfile(@Arg('input') input: BillingProfileInput, @Ctx() ctx: BillingContext): Promise<BillingProfile> {
    const { schoolId } = viewerOf(ctx);
    const profile =
      (await ctx.em.findOne(BillingProfile, { schoolId })) ?? ctx.em.create(BillingProfile, { schoolId, legalName: input.legalName });
    Object.assign(profile, {
      legalName: input.legalName,
      locale: input.locale,
      taxRegistrationNumber: input.taxRegistrationNumber ?? undefined,
      address: input.address ?? undefined,
    });
    await ctx.em.flush();
    return profile;
  }
}
