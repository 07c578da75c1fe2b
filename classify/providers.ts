/** Receiving organisations: how to recognise them (MX host names, reply text, recipient domains) and where their help is. */

import type { Cause } from './types.js';

/** A provider's help pages by topic; which one fits depends on the cause (see providerHelp). */
interface ProviderHelp {
  /** Sender guidelines: authentication, reputation, content, volume, reverse DNS, TLS. */
  guidelines?: string;
  /** Where to ask for a block to be lifted. */
  delist?: string;
  /** The reference of the provider's own reply codes. */
  codes?: string;
}

export interface ProviderInfo {
  id: string;
  name: string;
  /** Postmaster or sender help page, where one exists. */
  url: string | null;
  /** Host name suffixes of their MX / inbound servers. */
  hosts: readonly string[];
  /** Recipient domains they host (a fallback when the remote host is unknown). */
  domains: readonly string[];
  /** Regex source matched (case-insensitive) against the reply text. */
  textMarker?: string;
  help?: ProviderHelp;
}

export const PROVIDERS: readonly ProviderInfo[] = [
  {
    id: 'google',
    name: 'Google (Gmail / Google Workspace)',
    url: 'https://support.google.com/mail/answer/81126',
    hosts: ['google.com', 'googlemail.com', 'gmail-smtp-in.l.google.com', 'aspmx.l.google.com', 'smtp.goog'],
    domains: ['gmail.com', 'googlemail.com'],
    textMarker: '\\bgsmtp\\b|support\\.google\\.com|\\bGmail (?:requires|has detected|does not accept)',
    help: {
      guidelines: 'https://support.google.com/mail/answer/81126',
      codes: 'https://support.google.com/a/answer/3726730',
    },
  },
  {
    id: 'microsoft',
    name: 'Microsoft (Outlook.com / Exchange Online)',
    url: 'https://sender.office.com/',
    hosts: [
      'outlook.com',
      'protection.outlook.com',
      'hotmail.com',
      'olc.protection.outlook.com',
      'office365.us',
    ],
    domains: [
      'outlook.com',
      'hotmail.com',
      'hotmail.co.uk',
      'hotmail.fr',
      'hotmail.de',
      'hotmail.it',
      'hotmail.es',
      'live.com',
      'live.co.uk',
      'live.fr',
      'live.de',
      'msn.com',
      'passport.com',
      'outlook.de',
      'outlook.fr',
    ],
    textMarker:
      '\\.prod\\.outlook\\.com|protection\\.outlook\\.com|postmaster\\.live\\.com|sender\\.office\\.com|go\\.microsoft\\.com|\\(S3150\\)|\\(S3140\\)|\\(S3113\\)|\\(S3114\\)|\\(S775\\)|\\(S843\\)|\\(S844\\)|RESOLVER\\.[A-Z]{3}\\.',
    help: {
      guidelines: 'https://sendersupport.olc.protection.outlook.com/pm/policies.aspx',
      delist: 'https://sender.office.com/',
      codes:
        'https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/non-delivery-reports-in-exchange-online',
    },
  },
  {
    id: 'yahoo',
    name: 'Yahoo / AOL',
    url: 'https://senders.yahooinc.com/',
    hosts: ['yahoodns.net', 'yahoo.com', 'yahoo.net', 'aol.com', 'aol.net'],
    domains: [
      'yahoo.com',
      'yahoo.co.uk',
      'yahoo.fr',
      'yahoo.de',
      'yahoo.it',
      'yahoo.es',
      'yahoo.ca',
      'yahoo.com.br',
      'yahoo.co.jp',
      'ymail.com',
      'rocketmail.com',
      'aol.com',
      'aim.com',
      'aol.co.uk',
      'verizon.net',
      'att.net',
      'sbcglobal.net',
      'bellsouth.net',
    ],
    textMarker:
      'yahooinc\\.com|postmaster\\.verizonmedia\\.com|\\[TSS?\\d\\d\\]|\\[BL2\\d\\]|\\bTSS\\d\\d\\b',
    help: {
      guidelines: 'https://senders.yahooinc.com/best-practices/',
      codes: 'https://senders.yahooinc.com/smtp-error-codes/',
    },
  },
  {
    id: 'apple',
    name: 'Apple (iCloud Mail)',
    url: 'https://support.apple.com/en-us/HT204137',
    hosts: ['icloud.com', 'me.com', 'mac.com', 'apple.com'],
    domains: ['icloud.com', 'me.com', 'mac.com'],
    textMarker: 'support\\.apple\\.com|\\bicloud\\b',
    help: { guidelines: 'https://support.apple.com/en-us/HT204137' },
  },
  {
    id: 'united-internet',
    name: 'GMX / WEB.DE (1&1 United Internet)',
    url: 'https://postmaster.gmx.net/',
    hosts: [
      'gmx.net',
      'gmx.de',
      'gmx.com',
      'web.de',
      'mail.com',
      '1and1.com',
      'kundenserver.de',
      'ionos.com',
      'ionos.de',
    ],
    domains: ['gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch', 'gmx.com', 'web.de', 'mail.com', 'email.com'],
    textMarker: 'postmaster\\.(?:gmx|web|1and1|1und1)\\.|\\bNemesis\\b',
    help: {
      guidelines: 'https://postmaster.gmx.net/',
      codes: 'https://postmaster.gmx.com/en/error-messages',
    },
  },
  {
    id: 'orange',
    name: 'Orange',
    url: 'https://postmaster.orange.fr/',
    hosts: ['orange.fr', 'wanadoo.fr', 'orange.com'],
    domains: ['orange.fr', 'wanadoo.fr'],
    textMarker: '\\bOFR\\d*_\\d+|\\bLPN\\d+_\\d+',
    help: { guidelines: 'https://postmaster.orange.fr/' },
  },
  {
    id: 'comcast',
    name: 'Comcast (Xfinity)',
    url: 'https://postmaster.comcast.net/',
    hosts: ['comcast.net'],
    domains: ['comcast.net'],
    textMarker: 'postmaster\\.comcast\\.net|\\bcomcast\\b',
    help: {
      guidelines: 'https://postmaster.comcast.net/',
      codes: 'https://postmaster.comcast.net/mail-error-codes.html',
    },
  },
  {
    id: 'mimecast',
    name: 'Mimecast',
    url: 'https://mimecastsupport.zendesk.com/hc/en-us/articles/34000709564691-Policies-Mimecast-SMTP-Error-Codes',
    hosts: ['mimecast.com', 'mimecast.co.za', 'mimecast-offshore.com'],
    domains: [],
    textMarker: 'mimecast',
    help: {
      codes:
        'https://mimecastsupport.zendesk.com/hc/en-us/articles/34000709564691-Policies-Mimecast-SMTP-Error-Codes',
    },
  },
  {
    id: 'proofpoint',
    name: 'Proofpoint',
    url: 'https://ipcheck.proofpoint.com/',
    hosts: ['pphosted.com', 'ppe-hosted.com', 'proofpoint.com'],
    domains: [],
    textMarker: 'proofpoint',
    help: { delist: 'https://ipcheck.proofpoint.com/' },
  },
  {
    id: 'barracuda',
    name: 'Barracuda',
    url: 'https://www.barracudacentral.org/rbl/removal-request',
    hosts: ['barracudanetworks.com', 'cudamail.com'],
    domains: [],
    textMarker: 'barracuda',
    help: { delist: 'https://www.barracudacentral.org/rbl/removal-request' },
  },
  {
    id: 'cloudflare',
    name: 'Cloudflare Email Routing',
    url: 'https://developers.cloudflare.com/email-routing/postmaster/',
    hosts: ['mx.cloudflare.net', 'cloudflare.net'],
    domains: [],
    help: { guidelines: 'https://developers.cloudflare.com/email-routing/postmaster/' },
  },
  {
    id: 'zoho',
    name: 'Zoho Mail',
    url: null,
    hosts: ['zoho.com', 'zoho.eu', 'zoho.in', 'zohomail.com'],
    domains: ['zoho.com', 'zohomail.com'],
  },
  {
    id: 'fastmail',
    name: 'Fastmail',
    url: null,
    hosts: ['messagingengine.com', 'fastmail.com'],
    domains: ['fastmail.com', 'fastmail.fm'],
  },
  {
    id: 'yandex',
    name: 'Yandex Mail',
    url: 'https://yandex.com/support/mail/bounces/yandex.html',
    hosts: ['yandex.net', 'yandex.ru', 'yandex.com'],
    domains: ['yandex.ru', 'yandex.com', 'ya.ru'],
    help: { codes: 'https://yandex.com/support/mail/bounces/yandex.html' },
  },
  {
    id: 'mailru',
    name: 'Mail.ru',
    url: 'https://postmaster.mail.ru/',
    hosts: ['mail.ru'],
    domains: ['mail.ru', 'bk.ru', 'list.ru', 'inbox.ru'],
    help: { guidelines: 'https://postmaster.mail.ru/' },
  },
  {
    id: 'amazon-ses',
    name: 'Amazon SES / WorkMail',
    url: null,
    hosts: ['amazonses.com', 'amazonaws.com', 'awsapps.com'],
    domains: [],
    textMarker: 'amazonses\\.com',
  },
  {
    id: 'tencent',
    name: 'Tencent (QQ Mail)',
    url: 'https://service.mail.qq.com/',
    hosts: ['qq.com', 'exmail.qq.com'],
    domains: ['qq.com', 'foxmail.com', 'vip.qq.com'],
    textMarker: 'service\\.mail\\.qq\\.com',
  },
  {
    id: 'cox',
    name: 'Cox',
    url: 'https://www.cox.com/residential/support/email-error-codes.html',
    hosts: ['cox.net'],
    domains: ['cox.net'],
    textMarker: 'cox\\.com/',
    help: { codes: 'https://www.cox.com/residential/support/email-error-codes.html' },
  },
  {
    id: 'spectrum',
    name: 'Spectrum (Charter)',
    url: null,
    hosts: ['charter.net', 'rr.com', 'spectrum.net'],
    domains: ['charter.net', 'roadrunner.com', 'twc.com', 'rr.com'],
    textMarker: 'spectrum\\.net/',
  },
  {
    id: 't-online',
    name: 'Telekom (T-Online)',
    url: 'https://postmaster.t-online.de/',
    hosts: ['t-online.de'],
    domains: ['t-online.de', 'magenta.de'],
    help: {
      guidelines: 'https://postmaster.t-online.de/index.en.html',
      delist: 'https://postmaster.t-online.de/index.en.html',
    },
  },
  {
    id: 'broadcom',
    name: 'Broadcom / Symantec Email Security (MessageLabs)',
    url: null,
    hosts: ['messagelabs.com', 'symanteccloud.com'],
    domains: [],
    textMarker: 'messagelabs',
  },
  {
    id: 'cisco',
    name: 'Cisco Secure Email (IronPort)',
    url: 'https://talosintelligence.com/reputation_center',
    hosts: ['iphmx.com'],
    domains: [],
    help: { delist: 'https://talosintelligence.com/reputation_center' },
  },
  {
    id: 'trendmicro',
    name: 'Trend Micro Email Security',
    url: null,
    hosts: ['tmes.trendmicro.com', 'tmes.trendmicro.eu', 'trendmicro.com'],
    domains: [],
  },
  {
    id: 'protonmail',
    name: 'Proton Mail',
    url: null,
    hosts: ['protonmail.ch'],
    domains: ['proton.me', 'protonmail.com'],
  },
  { id: 'naver', name: 'Naver', url: null, hosts: ['naver.com'], domains: ['naver.com'] },
  {
    id: 'seznam',
    name: 'Seznam',
    url: 'https://napoveda.seznam.cz/',
    hosts: ['seznam.cz'],
    domains: ['seznam.cz'],
  },
  { id: 'free', name: 'Free', url: null, hosts: ['free.fr'], domains: ['free.fr'] },
  {
    id: 'libero',
    name: 'Libero (Italiaonline)',
    url: null,
    hosts: ['libero.it', 'iol.it'],
    domains: ['libero.it'],
  },
];

const byId = new Map(PROVIDERS.map((p) => [p.id, p]));

/** Display name and help page of a provider id, or undefined for an unknown id. */
export function providerInfo(id: string): ProviderInfo | undefined {
  return byId.get(id);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// One regex over every host suffix; the captured suffix is looked up in a map.
const hostToProvider = new Map<string, string>();
for (const p of PROVIDERS) for (const h of p.hosts) hostToProvider.set(h, p.id);
const hostSuffixes = [...hostToProvider.keys()].sort((a, b) => b.length - a.length);
const hostRe = new RegExp(`(?:^|\\.)(${hostSuffixes.map(escapeRe).join('|')})\\.?(?:\\[|:|$)`, 'i');

const domainToProvider = new Map<string, string>();
for (const p of PROVIDERS) for (const d of p.domains) domainToProvider.set(d, p.id);

const textMarkers: readonly { id: string; re: RegExp }[] = PROVIDERS.filter(
  (p) => p.textMarker !== undefined,
).map((p) => ({ id: p.id, re: new RegExp(p.textMarker!, 'i') }));

// A host name a reply text names, as Exim and others write it: "host mx1.example.net [192.0.2.1]".
const textHostRe = new RegExp(
  `(?<![@\\w.-])(?:[a-z0-9-]+\\.)*(${hostSuffixes.map(escapeRe).join('|')})\\b`,
  'i',
);

/**
 * Hosts looked up lately and their provider. A log names the same MX hosts again and again, and one map
 * lookup costs far less than the regex over every suffix; past the bound the cache starts again.
 */
const hostCache = new Map<string, string | null>();
const HOST_CACHE_MAX = 4096;

export function providerFromHost(host: string | null | undefined): string | null {
  if (!host) return null;
  const hit = hostCache.get(host);
  if (hit !== undefined) return hit;
  const m = hostRe.exec(host);
  const provider = m ? (hostToProvider.get(m[1]!.toLowerCase()) ?? null) : null;
  if (hostCache.size >= HOST_CACHE_MAX) hostCache.clear();
  hostCache.set(host, provider);
  return provider;
}

export function providerFromDomain(domain: string | null | undefined): string | null {
  if (!domain) return null;
  return domainToProvider.get(domain.toLowerCase()) ?? null;
}

/** The regex that finds a provider's host name in a text (for the shared prefilter). */
export const TEXT_HOST_REGEX: RegExp = textHostRe;

/** The regexes of the provider text markers, in order (for the shared prefilter). */
export const PROVIDER_MARKER_REGEXES: readonly RegExp[] = textMarkers.map((m) => m.re);

/** Provider from unmistakable wording of its replies (gsmtp, its postmaster URLs, its codes). */
export function providerFromMarkers(text: string, may?: (i: number) => boolean): string | null {
  if (text.length === 0) return null;
  for (let i = 0; i < textMarkers.length; i++) {
    const m = textMarkers[i]!;
    if ((may === undefined || may(i)) && m.re.test(text)) return m.id;
  }
  return null;
}

/** Provider from a host name the text mentions (Exim writes "host mx1.example.net [192.0.2.1]"). */
export function providerFromTextHost(text: string, may?: () => boolean): string | null {
  if (text.length === 0 || (may !== undefined && !may())) return null;
  const m = textHostRe.exec(text);
  return m ? (hostToProvider.get(m[1]!.toLowerCase()) ?? null) : null;
}

// Which help page fits a cause: sender-side causes get the guidelines, blocks the delisting page,
// and what the recipient's side decided the provider's code reference (never an unrelated page).
const HELP_TOPIC: Readonly<Partial<Record<Cause, readonly (keyof ProviderHelp)[]>>> = {
  'reputation-blocklist': ['delist', 'guidelines'],
  authentication: ['guidelines'],
  'spam-content': ['guidelines'],
  'reverse-dns': ['guidelines'],
  'rate-limited': ['guidelines', 'codes'],
  tls: ['guidelines'],
  'message-format': ['guidelines', 'codes'],
  policy: ['codes', 'guidelines'],
  'sender-rejected': ['codes'],
  'recipient-unknown': ['codes'],
  'mailbox-full': ['codes'],
  'mailbox-disabled': ['codes'],
  'recipient-filtered': ['codes'],
  'message-too-large': ['codes'],
  'auth-required': ['codes'],
  'relay-denied': ['codes'],
};

/** The provider's help page that matches the cause, or null when it has none for it. */
export function providerHelp(provider: string | null, cause: Cause | null): string | null {
  if (provider === null || cause === null) return null;
  const help = byId.get(provider)?.help;
  if (!help) return null;
  for (const topic of HELP_TOPIC[cause] ?? []) {
    const url = help[topic];
    if (url !== undefined) return url;
  }
  return null;
}

/** Provider from the reply text: markers first, then host names it mentions. */
export function providerFromText(text: string): string | null {
  return providerFromMarkers(text) ?? providerFromTextHost(text);
}
