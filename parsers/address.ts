/** Address helpers shared by the MTA parsers. */

/** The part after the last `@`, lower-cased; '' when there is none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return '';
  let end = address.length;
  // A trailing '>' or '.' is not part of a domain.
  while (end > at + 1 && (address.charCodeAt(end - 1) === 62 || address.charCodeAt(end - 1) === 46)) end--;
  return address.slice(at + 1, end).toLowerCase();
}

/** `name[ip]` or `name[ip]:port` → parts; null when the text is not of that form. */
export function splitHostIp(s: string): { host: string; ip: string | null; port: number | null } | null {
  const open = s.indexOf('[');
  if (open < 0) return null;
  const close = s.indexOf(']', open);
  if (close < 0) return null;
  const host = s.slice(0, open);
  const ip = s.slice(open + 1, close);
  let port: number | null = null;
  if (s.charCodeAt(close + 1) === 58) {
    const p = s.slice(close + 2);
    if (/^\d{1,5}$/.test(p)) port = Number(p);
  }
  return { host, ip: ip === '' ? null : ip, port };
}

/** A loopback address (127.0.0.0/8, ::1, IPv4-mapped 127.x) or the name `localhost`. */
export function isLoopback(host: string | null, ip: string | null): boolean {
  if (ip !== null) {
    if (ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.')) return true;
  }
  if (host === null) return false;
  const h = host.toLowerCase();
  return h === 'localhost' || h.startsWith('localhost.');
}
