/** Security middleware: strict CSP and friends (helmet), credentials when configured (failed logins throttled), and the rate limit. */

import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { HttpError, httpError } from './errors.js';
import type { LoginThrottle } from './login-throttle.js';

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

/**
 * Accepts `Authorization: Bearer <token>`, or Basic with the configured user and password, or Basic with any
 * user name and the token as password (so a browser can log in where only a token is configured). Wrong
 * credentials are logged with the client's address (for fail2ban) and counted: a client past its free
 * failures gets 429 with Retry-After until its wait is over, whatever it sends.
 */
export function requireCredentials(
  auth: Config['auth'],
  deps: { throttle: LoginThrottle; log: Logger },
): RequestHandler {
  const { token, user, password } = auth;
  const { throttle, log } = deps;
  return (req, _res, next) => {
    const client = req.ip ?? 'unknown';
    const wait = throttle.waitSeconds(client);
    if (wait > 0) {
      next(
        httpError(429, 'login-throttled', `too many failed logins; try again in ${wait} s`, {
          'Retry-After': String(wait),
        }),
      );
      return;
    }
    const header = req.get('authorization');
    if (header === undefined) {
      // Not a failed login: a browser asks without credentials first and logs in on the challenge.
      next(new HttpError(401, 'unauthorized', 'credentials required'));
      return;
    }
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
      throttle.succeeded(client);
      next();
      return;
    }
    throttle.failed(client);
    log.warn({ event: 'login-failed', client, path: req.path.slice(0, 200) }, 'failed login');
    next(new HttpError(401, 'unauthorized', 'credentials required'));
  };
}

export interface RateLimitOptions {
  windowMs: number;
  limit: number;
}

/** Per client address (req.ip: the socket's, or a trusted proxy's X-Forwarded-For). */
export function rateLimitFor(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // X-Forwarded-For from anyone but a configured proxy is ignored on purpose, not a mistake to warn about.
    validate: { xForwardedForHeader: false },
    handler: (_req, _res, next) => {
      next(new HttpError(429, 'rate-limited', 'too many requests; slow down and retry shortly'));
    },
  });
}
