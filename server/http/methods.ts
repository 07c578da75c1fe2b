/** Every route is read-only: another method on a known path is a 405 that says which methods are, not a 404. */

import { Router, type RequestHandler } from 'express';
import { httpError } from './errors.js';

const ALLOW = 'GET, HEAD';

const refuse: RequestHandler = (req, _res, next) => {
  next(
    httpError(405, 'method-not-allowed', `${req.method} is not allowed here; use GET`, {
      Allow: ALLOW,
    }),
  );
};

/** For the API's own paths, mounted after their GET routes: whatever reaches it used another method. */
export function methodNotAllowed(paths: readonly string[]): Router {
  const router = Router();
  for (const path of paths) router.all(path, refuse);
  return router;
}

/** For the dashboard's files: anything but GET and HEAD. */
export const readOnly: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') next();
  else refuse(req, res, next);
};
