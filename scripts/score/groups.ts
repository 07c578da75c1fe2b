/**
 * Which source a labelled reply comes from, so that a score can be read per source: the provider
 * the reply names (its host or wording), else the MTA whose framing the text shows.
 */

import { providerFromText } from '../../classify/providers.js';

const MTA_SHAPES: readonly { group: string; re: RegExp }[] = [
  {
    group: 'exim',
    re: /SMTP error from remote (?:mail )?server|retry timeout exceeded|Unrouteable address/i,
  },
  {
    group: 'postfix',
    re: /\(in reply to (?:RCPT TO|MAIL FROM|end of DATA|DATA|RCPT)|\bsaid: [245]\d\d|Host or domain name not found/i,
  },
  {
    group: 'sendmail',
    re: /<<< [245]\d\d|\.\.\. while talking to|\.\.\. Deferred|Deferred: |reason: [245]\d\d/i,
  },
  {
    group: 'qmail',
    re: /Remote host said:|Sorry, I wasn't able|\(#[245]\.\d\.\d+\)|qq |vdelivermail|bad rcpt/i,
  },
  {
    group: 'exchange',
    re: /RESOLVER\.|#[245]\.\d\.\d+ (?:smtp|X-)|Remote Server returned|STOREDRV|SMTPSEND/i,
  },
  { group: 'domino', re: /Domino|not listed in .*(?:directory|address book)/i },
  { group: 'courier', re: /courier|ERROR_CODE ?:/i },
];

/** The source group of one reply: `provider:<id>` or `mta:<name>`, `mta:bare` for a bare reply. */
export function sourceGroup(text: string, host?: string | null): string {
  const provider = providerFromText(`${host ?? ''} ${text}`);
  if (provider !== null) return `provider:${provider}`;
  for (const shape of MTA_SHAPES) if (shape.re.test(text)) return `mta:${shape.group}`;
  return 'mta:bare';
}

/** The family a Sisimai test id names ("lhost-postfix-54#1" -> "postfix"), or null. */
export function idFamily(id: string): string | null {
  const m = /^(?:lhost|rhost|arf)-([a-z0-9]+)/i.exec(id) ?? /^(arf)-/.exec(id);
  return m ? m[1]!.toLowerCase() : null;
}
