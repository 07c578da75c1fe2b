/** The one HTTP error type and the handlers that turn every failure into `{error: {code, message}}`. */

import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../log.js';

export interface HttpError extends Error {
  status: number;
  code: string;
}

export function httpError(status: number, code: string, message: string): HttpError {
  return Object.assign(new Error(message), { status, code });
}

export function isHttpError(e: unknown): e is HttpError {
  return (
    e instanceof Error &&
    typeof (e as Partial<HttpError>).status === 'number' &&
    typeof (e as Partial<HttpError>).code === 'string'
  );
}

export const notFound: RequestHandler = (req, res) => {
  res
    .status(404)
    .json({ error: { code: 'not-found', message: `no such endpoint: ${req.method} ${req.path}` } });
};

/** Known errors keep their status and code; anything else is logged and answered as a bare 500. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (isHttpError(err)) {
      res.status(err.status).json({ error: { code: err.code, message: err.message } });
      return;
    }
    // body-parser and friends set `status`/`type` on their errors (e.g. malformed JSON).
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'bad-request', message: 'the request could not be read' } });
      return;
    }
    log.error({ err, path: req.path }, 'request failed');
    res.status(500).json({ error: { code: 'internal', message: 'internal error; see the server log' } });
  };
}
