/** The one error class of the API and the one handler that turns every failure into `{error: {code, message}}`. */

import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../log.js';

/** A failure the client is told about: its HTTP status, a stable kebab-case code and a message for people. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Headers the answer needs to be acted on: `Retry-After` with a 429, `Allow` with a 405. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const httpError = (
  status: number,
  code: string,
  message: string,
  headers?: Readonly<Record<string, string>>,
): HttpError => new HttpError(status, code, message, headers);

/** Unknown paths: a 404 in the same envelope. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(httpError(404, 'not-found', `no such endpoint: ${req.method} ${req.path}`));
};

/** HttpErrors keep their status and code; a client's unreadable request is a 400; anything else is logged and a bare 500. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    let e: HttpError;
    if (err instanceof HttpError) e = err;
    else {
      // body-parser and friends set `status` on their errors (e.g. malformed JSON).
      const status = (err as { status?: unknown } | null)?.status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        e = httpError(status, 'bad-request', 'the request could not be read');
      } else {
        log.error({ err, path: req.path }, 'request failed');
        e = httpError(500, 'internal', 'internal error; see the server log');
      }
    }
    for (const [name, value] of Object.entries(e.headers)) res.setHeader(name, value);
    if (e.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="bouncewatch", charset="UTF-8"');
    res.status(e.status).json({ error: { code: e.code, message: e.message } });
  };
}
