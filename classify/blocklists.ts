/** DNS blocklists and provider-internal block lists that reply texts name, and where to look up or delist. */

export interface BlocklistInfo {
  /** The name we report (a zone where the text names one, else the list's name). */
  name: string;
  operator: string;
  /** Lookup or removal page. */
  url: string | null;
  /** Lists of domains/URLs found in the content rather than of the sending IP. */
  content?: boolean;
}

interface BlocklistRule extends BlocklistInfo {
  re: RegExp;
}

const SPAMHAUS = 'https://check.spamhaus.org/';

// Ordered: specific zones before the generic operator name.
const RULES: readonly BlocklistRule[] = [
  { name: 'zen.spamhaus.org', operator: 'Spamhaus', url: SPAMHAUS, re: /\bzen\.spamhaus\.org\b/i },
  {
    name: 'sbl.spamhaus.org',
    operator: 'Spamhaus',
    url: SPAMHAUS,
    re: /\bsbl(?:-xbl)?\.spamhaus\.org\b|\bSpamhaus SBL\b/i,
  },
  {
    name: 'xbl.spamhaus.org',
    operator: 'Spamhaus',
    url: SPAMHAUS,
    re: /\bxbl\.spamhaus\.org\b|\bSpamhaus XBL\b|\bCBL\b/i,
  },
  {
    name: 'pbl.spamhaus.org',
    operator: 'Spamhaus',
    url: SPAMHAUS,
    re: /\bpbl\.spamhaus\.org\b|\bSpamhaus PBL\b/i,
  },
  {
    name: 'dbl.spamhaus.org',
    operator: 'Spamhaus',
    url: SPAMHAUS,
    content: true,
    re: /\bdbl\.spamhaus\.org\b|\bSpamhaus DBL\b/i,
  },
  { name: 'spamhaus', operator: 'Spamhaus', url: SPAMHAUS, re: /spamhaus|\[BL21\]/i },
  {
    name: 'b.barracudacentral.org',
    operator: 'Barracuda',
    url: 'https://www.barracudacentral.org/rbl/removal-request',
    re: /barracudacentral|barracuda reputation|\bBRBL\b/i,
  },
  {
    name: 'bl.spamcop.net',
    operator: 'SpamCop',
    url: 'https://www.spamcop.net/bl.shtml',
    re: /spamcop|\[BL23\]/i,
  },
  { name: 'sorbs', operator: 'SORBS', url: null, re: /\bsorbs\b/i },
  {
    name: 'uceprotect',
    operator: 'UCEPROTECT',
    url: 'https://www.uceprotect.net/en/rblcheck.php',
    re: /uceprotect/i,
  },
  { name: 'spamrats', operator: 'SpamRATS', url: 'https://www.spamrats.com/lookup.php', re: /spamrats/i },
  { name: 'bl.mailspike.net', operator: 'Mailspike', url: 'https://mailspike.org/', re: /mailspike/i },
  {
    name: 'psbl.surriel.com',
    operator: 'PSBL',
    url: 'https://psbl.org/',
    re: /psbl\.surriel\.com|\bPSBL\b/i,
  },
  { name: 'abusix', operator: 'Abusix', url: 'https://lookup.abusix.com/', re: /abusix/i },
  {
    name: 'invaluement',
    operator: 'invaluement',
    url: 'https://www.invaluement.com/lookup/',
    re: /invaluement/i,
  },
  {
    name: 'ix.dnsbl.manitu.net',
    operator: 'NiX Spam',
    url: 'https://www.nixspam.net/',
    re: /manitu\.net|nixspam/i,
  },
  { name: 'ips.backscatterer.org', operator: 'Backscatterer', url: null, re: /backscatterer/i },
  { name: 'truncate.gbudb.net', operator: 'GBUdb', url: null, re: /gbudb/i },
  { name: 'hostkarma', operator: 'Junk Email Filter', url: null, re: /hostkarma/i },
  { name: 'dnsbl.dronebl.org', operator: 'DroneBL', url: 'https://dronebl.org/lookup', re: /dronebl/i },
  { name: 'bl.0spam.org', operator: '0spam', url: null, re: /0spam/i },
  {
    name: 'Cloudmark CSI',
    operator: 'Cloudmark',
    url: 'https://csi.cloudmark.com/en/reset/',
    re: /cloudmark/i,
  },
  {
    name: 'Proofpoint',
    operator: 'Proofpoint',
    url: 'https://ipcheck.proofpoint.com/',
    re: /proofpoint\.com\/dnsbl|ipcheck\.proofpoint/i,
  },
  {
    name: 'Microsoft (S3150)',
    operator: 'Microsoft',
    url: 'https://sender.office.com/',
    re: /\bS3150\b/,
  },
  {
    name: 'Microsoft (S3140)',
    operator: 'Microsoft',
    url: 'https://sender.office.com/',
    re: /\bS3140\b/,
  },
  {
    name: 'Microsoft banned sending IP',
    operator: 'Microsoft',
    url: 'https://sender.office.com/',
    re: /\b5\.7\.6(?:0[6-9]|[1-3]\d|4[0-9])\b|banned sending IP/i,
  },
  { name: 'Cox CDRBL', operator: 'Cox', url: null, re: /AUP#CDRBL/i },
  { name: 'uribl.com', operator: 'URIBL', url: 'https://admin.uribl.com/', content: true, re: /\buribl\b/i },
  {
    name: 'multi.surbl.org',
    operator: 'SURBL',
    url: 'https://www.surbl.org/surbl-analysis',
    content: true,
    re: /\bsurbl\b/i,
  },
];

const zoneByName = new Map(RULES.map((r) => [r.name, r]));

// "blocked using bl.example.org", "listed in/on/at/by bl.example.org": the zone named by the receiver.
const genericZoneRe =
  /\b(?:blocked using|listed (?:in|on|at|by)|found in|rejected by) ((?:[a-z0-9-]+\.)+(?:org|net|com|info|io|de|eu|co|uk|ru|jp|fr|it|nl|zone|ch|at|pl|cz))\b/i;
const rblWordRe = /\b(?:rbl|dnsbl|blacklist|blocklist|block list|black list|blacklisted|blocklisted)\b/i;

/** The regexes of the named lists, then the generic zone wording, in order (for the shared prefilter). */
export const BLOCKLIST_REGEXES: readonly RegExp[] = [...RULES.map((r) => r.re), genericZoneRe];

/** The blocklist a reply text names, or null. `may(i)` false means list i cannot match (prefilter). */
export function findBlocklist(text: string, may?: (i: number) => boolean): string | null {
  if (text.length === 0) return null;
  for (let i = 0; i < RULES.length; i++) {
    const r = RULES[i]!;
    if ((may === undefined || may(i)) && r.re.test(text)) return r.name;
  }
  if (may !== undefined && !may(RULES.length)) return null;
  const m = genericZoneRe.exec(text);
  if (m && rblWordRe.test(text)) return m[1]!.toLowerCase();
  if (m && /^blocked using/i.test(m[0])) return m[1]!.toLowerCase();
  return null;
}

export function blocklistInfo(name: string): BlocklistInfo | undefined {
  const r = zoneByName.get(name);
  if (!r) return undefined;
  const info: BlocklistInfo = { name: r.name, operator: r.operator, url: r.url };
  if (r.content) info.content = true;
  return info;
}

export const BLOCKLISTS: readonly BlocklistInfo[] = RULES.map(({ name, operator, url, content }) =>
  content ? { name, operator, url, content } : { name, operator, url },
);
