import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { UsersContext } from '../context';
import { User } from '../user/user.entity';
import type { GuardianService } from './guardian.service';
import { PairingCodeView } from './pairing-code.type';

@Resolver()
export class GuardianResolver {
  constructor(private readonly guardians: GuardianService) {}

  @Authorized()
  @Mutation(() => PairingCodeView, {
    name: 'createPairingCode',
    description: 'By the student or a school admin; the code is also sent for delivery by message (event `pairing.code.created`).',
  })
  createPairingCode(@Arg('studentId', () => ID) studentId: string, @Ctx() ctx: UsersContext): Promise<PairingCodeView> {
    return this.guardians.createCode(ctx, studentId);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: 'The parent stops following the student (by the parent or a school admin); false when they were not linked.',
  })
  unpair(
    @Arg('studentId', () => ID) studentId: string,
    @Arg('parentId', () => ID) parentId: string,
    @Ctx() ctx: UsersContext,
  ): Promise<boolean> {
    return this.guardians.unpair(ctx, studentId, parentId);
  }

  @Authorized()
  @Mutation(() => User, { description: 'A parent links a student with the code; returns the student.' })
  pairWithCode(@Arg('code') code: string, @Ctx() ctx: UsersContext): Promise<User> {
    return this.guardians.redeem(ctx, code);
  }
}
