import type { MikroORM } from '@mikro-orm/core';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '../../platform/errors';
import { HttpError } from '../http/http-error';
import { grants, type Scope } from './scopes';
import type { Principal, TokenService } from './token.service';

/** The principal of an authenticated request (set by `requireScope`). */
export const principalOf = (res: Response): Principal => res.locals.principal as Principal;

/**
 * Route guard: a valid `Authorization: Bearer <token>` holding one of `scopes`. An unknown or
 * revoked token is 401; a valid one without the scope is 403, so a partner learns nothing else
 * exists beyond "not yours".
 */
export function createAuth(orm: MikroORM, tokens: TokenService) {
  return (...scopes: Scope[]) =>
    async (req: Request, res: Response, next: NextFunction) => {
      const header = req.header('authorization') ?? '';
      const presented = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!presented) throw new HttpError(ErrorCode.UNAUTHENTICATED, 'Send a registry token as Authorization: Bearer <token>');
      const principal = await tokens.authenticate(orm.em.fork(), presented);
      if (!principal) throw new HttpError(ErrorCode.UNAUTHENTICATED, 'Token is unknown or revoked');
      if (!scopes.some((s) => grants(principal.scopes, s)))
        throw new HttpError(ErrorCode.FORBIDDEN, `This token lacks the ${scopes.join(' or ')} scope`);
      res.locals.principal = principal;
      next();
    };
}
export type RequireScope = ReturnType<typeof createAuth>;
