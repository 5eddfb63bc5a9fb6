import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { ErrorCode, errorBody, statusOf } from '../../platform/errors';
import { jsonErrorHandler } from '../../platform/http';
import type { Logger } from '../../platform/logger';

/** An expected failure of a registry call: the status and the same `{ errors: [{ message, extensions: { code } }] }` body as everywhere else. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a JSON body with zod; every problem is reported in one 400 answer. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new HttpError(ErrorCode.BAD_USER_INPUT, result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
}

/** Last handlers of the registry app: HttpError → its status; anything else → the platform's handler. */
export function registryErrorHandler(logger: Logger) {
  const fallback = jsonErrorHandler(logger);
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (err instanceof HttpError && !res.headersSent) {
      res.status(statusOf(err.code)).json(errorBody(err.code, err.message));
      return;
    }
    fallback(err, req, res, next);
  };
}
