/** Security middleware: strict CSP and friends (helmet), credentials when configured, and the API rate limit. */

import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from '../config.js';
import { HttpError } from './errors.js';

/** The page loads /app.js and /app.css only: no inline script or style, no third party. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        // The weekly report is shown in a sandboxed iframe of our own origin.
        frameSrc: ["'self'"],
        frameAncestors: ["'self'"],
        manifestSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
/** Compares digests so neither the length nor the content of a secret leaks through timing. */
const same = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/** True when the config asks for credentials at all. */
export function hasCredentials(auth: Config['auth']): boolean {
  return Boolean(auth.token) || Boolean(auth.user && auth.password);
}

/**
 * Accepts `Authorization: Bearer <token>`, or Basic with the configured user and password, or Basic with any
 * user name and the token as password (so a browser can log in where only a token is configured).
 */
export function requireCredentials(auth: Config['auth']): RequestHandler {
  const { token, user, password } = auth;
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const [scheme = '', value = ''] = header.split(/\s+/, 2);
    let ok = false;
    if (/^bearer$/i.test(scheme) && token) ok = same(value, token);
    else if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const u = colon < 0 ? decoded : decoded.slice(0, colon);
      const p = colon < 0 ? '' : decoded.slice(colon + 1);
      const userOk = user && password ? same(u, user) && same(p, password) : false;
      const tokenOk = token ? same(p, token) : false;
      ok = userOk || tokenOk;
    }
    if (ok) {
      next();
      return;
    }
    next(new HttpError(401, 'unauthorized', 'credentials required'));
  };
}

export interface RateLimitOptions {
  windowMs: number;
  limit: number;
}

/** Generous for a dashboard that refreshes live, tight enough to stop a script from hammering SQLite. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 60_000, limit: 1200 };

export function apiRateLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new HttpError(429, 'rate-limited', 'too many requests; slow down and retry shortly'));
    },
  });
}
