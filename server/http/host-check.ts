/** DNS rebinding guard: a page that leads a browser to our port under a stranger's name sends that name in Host, and is refused. */

import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { isLoopbackAddress } from '../bind-scope.js';
import { hasCredentials, type Config } from '../config.js';
import { httpError } from './errors.js';

/** Which names the server answers to: any, or the loopback ones and those listed. */
export interface HostPolicy {
  any: boolean;
  names: readonly string[];
}

/** The address the server is bound to, as a Host header names it (`[2001:db8::5]`); none for a name or a wildcard. */
function boundAddress(bind: string): string[] {
  const version = isIP(bind);
  if (version === 0 || bind === '0.0.0.0' || bind === '::') return [];
  return [version === 6 ? `[${bind.toLowerCase()}]` : bind];
}

/**
 * On loopback (where no credentials are needed) only loopback names and allowedHosts; bound beyond loopback,
 * credentials stand guard and allowedHosts narrows the names only when it is set.
 */
export function hostPolicy(
  config: Pick<Config, 'auth' | 'allowedHosts' | 'bind'>,
  bindLoopback: boolean,
): HostPolicy {
  const any = !bindLoopback && hasCredentials(config) && config.allowedHosts.length === 0;
  // An address cannot be rebound (the attack needs a name), and the server's own is what a local caller uses.
  return { any, names: [...config.allowedHosts, ...boundAddress(config.bind)] };
}

/** The name of a Host header without its port, lower case, without a trailing dot; `[::1]` keeps its brackets. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d*$/, '');
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** `localhost` and its subdomains (RFC 6761: resolved to loopback by the client itself), and loopback addresses. */
function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

export function allowsHost(policy: HostPolicy, header: string): boolean {
  if (policy.any) return true;
  const name = hostName(header);
  if (isLoopbackName(name)) return true;
  return policy.names.some((n) => (n.startsWith('.') ? name === n.slice(1) || name.endsWith(n) : name === n));
}

export function hostCheck(policy: HostPolicy): RequestHandler {
  return (req, _res, next) => {
    const host = req.headers.host;
    // Browsers always send Host; a request without one cannot come from a rebound page.
    if (host === undefined || allowsHost(policy, host)) {
      next();
      return;
    }
    next(
      httpError(
        421,
        'unknown-host',
        `this server does not answer to the name '${hostName(host).slice(0, 100)}' (add it to allowedHosts)`,
      ),
    );
  };
}
