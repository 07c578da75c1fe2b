/**
 * `--host-id`: every record an agent reads is its host's, whatever name syslog wrote (or none: Exim's mainlog
 * names no host). The host is part of every correlation key and every stored key, so queue ids that repeat
 * across a fleet never meet.
 */

import type { ParsedRecord } from '../../parsers/types.js';
import type { ParseFn } from './pipeline.js';

export function withHostId(parse: ParseFn, hostId: string): ParseFn {
  return (line, ctx) => {
    const record: ParsedRecord = parse(line, ctx);
    if ('host' in record) (record as { host: string | null }).host = hostId;
    return record;
  };
}

/** A host id as `--host-id` and BOUNCEWATCH_HOST_ID take it: a host name, or null with what is wrong. */
export function hostIdProblem(value: string): string | null {
  if (value.length === 0 || value.length > 253) return 'a host id is 1 to 253 characters';
  if (!/^[A-Za-z0-9][\w.:-]*$/.test(value)) return `'${value}' is not a host name (letters, digits, . _ : -)`;
  return null;
}
