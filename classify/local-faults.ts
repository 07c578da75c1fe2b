/**
 * Reply shapes that show a failure of this server itself (its disk, resolver, configuration or
 * content filter). Pure: it reports what the reply alone shows. Whether a DNS failure is ours
 * depends on other mail to the same domain in the same window, which correlation decides.
 */

import type { LocalCause } from './types.js';

export interface LocalFaultInput {
  diagnostic?: string | null;
  /** The relay the delivery went to (relay=), when known. */
  relayHost?: string | null;
  relayIp?: string | null;
}

export interface LocalFaultSignal {
  cause: LocalCause;
  /** Which shape matched. */
  shape: string;
  /** What the shape shows, in a few words. */
  detects: string;
  /** The text alone proves the fault is ours. */
  certain: boolean;
  /** The reply names a remote server that answered (said:, SMTP error from remote ...). */
  remoteReply: boolean;
  /** What correlation must confirm before the fault counts as ours; null when certain. */
  confirmWith: 'domain-delivered-in-window' | 'local-disk-warning-in-window' | null;
}

interface Shape {
  id: string;
  cause: LocalCause;
  detects: string;
  re: RegExp;
  /** Shapes that are ours only when correlation confirms it. */
  confirmWith?: LocalFaultSignal['confirmWith'];
}

const LOOPBACK = String.raw`(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)`;

const SHAPES: readonly Shape[] = [
  {
    id: 'content-filter-unreachable',
    cause: 'local-filter',
    detects: 'a content filter on a loopback address that refused or dropped the connection',
    re: new RegExp(
      String.raw`(?:connect to|conversation with|lost connection with)\s+(?:${LOOPBACK}\[${LOOPBACK}\]|\[${LOOPBACK}\])(?::\d+)?`,
      'i',
    ),
  },
  {
    id: 'filter-failure',
    cause: 'local-filter',
    detects: 'a milter or content scanner that failed',
    re: /\bmilter\b.{0,80}(?:unavailable|not responding|timed? ?out|can't connect|failed)|(?:amavis|rspamd|spamd|clamd?)\b.{0,60}(?:failed|not responding|unavailable|timed? ?out|refused)|virus_scan FAILED|content filter .{0,40}(?:failed|unavailable)/i,
  },
  {
    id: 'loops-back-to-myself',
    cause: 'local-config',
    detects: 'a domain whose mail is routed back to this server',
    re: /loops back to myself|lowest numbered MX record points to local host|points to (?:the )?local host/i,
  },
  {
    id: 'tls-library',
    cause: 'local-config',
    detects: "this server's TLS library or certificate setup failing",
    re: /TLS library problem|cannot load (?:certificate|CA|private key|RSA|ECDSA)|(?:certificate|private key) (?:file )?.{0,40}(?:No such file|permission denied)|unable to (?:load|read) (?:certificate|private key)/i,
  },
  {
    id: 'missing-table',
    cause: 'local-config',
    detects: 'a lookup table or map that is missing or unreadable',
    re: /(?:table|map|database|dictionary) .{0,60}(?:is unavailable|not (?:found|exist)|No such file|cannot (?:open|be opened))|open database .{0,80}No such file|unsupported dictionary type|lookup table .{0,60}(?:error|unavailable)|Temporary lookup failure|dict_\w+: .{0,40}(?:fail|error)/i,
  },
  {
    id: 'transport-unavailable',
    cause: 'local-config',
    detects: 'a mail transport that is not configured or not running',
    re: /mail transport unavailable|unknown mail transport|failed to expand|Mailing to remote domains not supported|transport .{0,40}not (?:found|defined)/i,
  },
  {
    id: 'unrouteable-address',
    cause: 'local-config',
    detects: 'an address our router could not route',
    re: /Unrouteable address/i,
    confirmWith: 'domain-delivered-in-window',
  },
  {
    id: 'disk-full',
    cause: 'local-disk',
    detects: 'this server running out of disk or queue space',
    re: /No space left on device|not enough free space|queue file write error|insufficient (?:system )?(?:storage|disk space)|spool (?:directory )?(?:is )?full/i,
  },
  {
    id: 'dns-temporary',
    cause: 'local-dns',
    detects: 'a DNS lookup that failed for now',
    re: /Name service error .{0,80}try again|Host not found, try again|Temporary failure in name resolution|host lookup did not complete|DNS (?:lookup )?(?:timed? ?out|error|failure)|SERVFAIL/i,
    confirmWith: 'domain-delivered-in-window',
  },
  {
    id: 'dns-not-found',
    cause: 'local-dns',
    detects: 'a lookup that says the domain has no mail host',
    re: /Host or domain name not found|Host not found\b|NXDOMAIN|all relevant MX records point to non-existent hosts/i,
    confirmWith: 'domain-delivered-in-window',
  },
];

const loopbackSaidRe = new RegExp(String.raw`host ${LOOPBACK}\[${LOOPBACK}\](?::\d+)? said:`, 'i');

// A reply quoted from another server: our MTA only reports what that server said.
const remoteReplyRe =
  /\bsaid:|SMTP error from remote|Remote Server returned|host \S+ \[[^\]]+\]:|<<<\s*[245]\d\d|refused to talk to me/i;

/** The local-fault shape of one reply, or null when the reply shows none. */
export function recogniseLocalFault(input: LocalFaultInput): LocalFaultSignal | null {
  // Callers feed parsed JSON too: guard against null and non-objects despite the type.
  const safe: unknown = input;
  if (typeof safe !== 'object' || safe === null) return null;
  const raw = typeof input.diagnostic === 'string' ? input.diagnostic : '';
  const text = raw.length > 2000 ? raw.slice(0, 2000) : raw;
  const relayIp = typeof input.relayIp === 'string' ? input.relayIp : '';
  const relayHost = typeof input.relayHost === 'string' ? input.relayHost : '';
  const remoteReply = remoteReplyRe.test(text);
  const loopbackRelay =
    /^(?:127\.|::1$)/.test(relayIp) ||
    /^(?:localhost|\[?127\.)/i.test(relayHost) ||
    loopbackSaidRe.test(text);
  for (const shape of SHAPES) {
    if (!shape.re.test(text)) continue;
    if (remoteReply && !loopbackRelay) {
      // Another server's own trouble is its fault; only a full disk may be ours too (then our
      // warning about free space shows it in the same window).
      if (shape.cause !== 'local-disk') continue;
      return signal(shape, false, true, 'local-disk-warning-in-window');
    }
    const confirmWith = shape.confirmWith ?? null;
    return signal(shape, confirmWith === null, remoteReply, confirmWith);
  }
  // Our filter on a loopback relay answered with a failure of its own (amavis 4xx/5xx).
  if (loopbackRelay && /(?:^|\s|said:\s*)[45]\d\d\b/.test(text)) {
    return {
      cause: 'local-filter',
      shape: 'loopback-relay-failure',
      detects: 'a content filter on a loopback relay that answered with a failure',
      certain: true,
      remoteReply,
      confirmWith: null,
    };
  }
  return null;
}

function signal(
  shape: Shape,
  certain: boolean,
  remoteReply: boolean,
  confirmWith: LocalFaultSignal['confirmWith'],
): LocalFaultSignal {
  return { cause: shape.cause, shape: shape.id, detects: shape.detects, certain, remoteReply, confirmWith };
}
