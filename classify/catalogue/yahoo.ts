/** Yahoo and AOL: their documented SMTP replies, in our words. */

import type { ProviderCode } from '../provider-codes.js';

const CODES = 'https://senders.yahooinc.com/smtp-error-codes/';
const HUB = 'https://senders.yahooinc.com/';

export const YAHOO_CODES: readonly ProviderCode[] = [
  {
    provider: 'yahoo',
    label: 'TSS04 / TS01 / TS02',
    codes: ['TSS04', 'TS01', 'TS02'],
    re: /\[?TSS04\]?|\[TS0[12]\]/,
    cause: 'rate-limited',
    distinctive: true,
    meaning: 'Yahoo temporarily defers mail from the IP for unexpected volume or user complaints.',
    action: `Slow down to Yahoo/AOL, drop unengaged recipients, join the Yahoo complaint feedback loop and check ${HUB}. Codes: ${CODES}`,
    source: CODES,
  },
  {
    provider: 'yahoo',
    label: 'TS03 / TSS09',
    codes: ['TSS09', 'TS03'],
    re: /\[?TSS09\]?|\[TS03\]|permanently deferred/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning: 'Yahoo permanently defers the IP: retrying will not help.',
    action: `Stop sending to Yahoo/AOL from this IP, fix what caused complaints, then ask Yahoo Sender Support through ${HUB} to review the IP. Codes: ${CODES}`,
    source: CODES,
  },
  {
    provider: 'yahoo',
    label: 'TSS11',
    codes: ['TSS11'],
    re: /\[?TSS11\]?|excessive unknown recipients/i,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning:
      'Yahoo defers because too many of your recipients do not exist (a sign of an old or bought list).',
    action: `Remove unknown and inactive addresses (suppress every hard bounce). ${CODES}`,
    source: CODES,
  },
  {
    provider: 'yahoo',
    label: 'BL21 / BL22 / BL23',
    codes: ['BL21', 'BL22', 'BL23'],
    re: /\[BL2[123]\]/,
    cause: 'reputation-blocklist',
    distinctive: true,
    meaning:
      'Yahoo refuses connections because the IP is on a public blocklist (BL21 Spamhaus, BL23 SpamCop).',
    action: `Get the IP delisted at the list named. ${CODES}`,
    source: CODES,
  },
  {
    provider: 'yahoo',
    label: '5.7.9 (policy)',
    codes: ['5.7.9'],
    re: /5\.7\.9 Message not accepted for policy reasons/i,
    cause: 'policy',
    meaning: 'Yahoo refused the message for policy reasons (content, authentication or reputation signals).',
    action: `Check SPF/DKIM/DMARC for the sending domain, the content and complaint rates; see ${CODES}`,
    source: CODES,
  },
  {
    provider: 'yahoo',
    label: "554 delivery error: dd ... doesn't have an account",
    codes: ['554'],
    cause: 'recipient-unknown',
    meaning: 'Yahoo: there is no account with this address.',
    action: 'Suppress the address: Yahoo says so only for addresses it has no account for.',
    source: CODES,
  },
  {
    provider: 'yahoo',
    label: '554.30 (disabled mailbox)',
    codes: ['554.30'],
    re: /This mailbox is disabled|554\.30/i,
    cause: 'mailbox-disabled',
    meaning: 'The Yahoo/AOL mailbox is disabled.',
    action: 'Suppress the address: disabled Yahoo accounts do not come back.',
    source: CODES,
  },
];
