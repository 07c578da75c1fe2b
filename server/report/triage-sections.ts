/**
 * The report's Senders and Server sections as plain tables and sentences, which the md and html renderers each
 * escape and lay out their way (log text stays text).
 */

import type { Report } from '../http/contract/report.js';
import type { Sender } from '../http/contract/triage.js';
import { clip, formatBytes, formatCount, formatRate, shortTime, TOP } from './format.js';

type Block =
  { kind: 'text'; text: string } | { kind: 'table'; head: string[]; rows: string[][]; align: ('l' | 'r')[] };

export interface Section {
  title: string;
  note: string;
  blocks: Block[];
}

/** ` (top 10 of 50 listed submitters; json lists 50)` when md and html show fewer than the model lists. */
const shown = (n: number, total: number, what: string) =>
  n < total ? ` (top ${n} of ${formatCount(total)} listed ${what}; json lists ${formatCount(total)})` : '';

function ipsLabel(ips: readonly string[]): string {
  if (ips.length === 0) return '(local)';
  const first = ips.slice(0, 3).join(', ');
  return ips.length > 3 ? `${first} +${ips.length - 3}` : first;
}

const RATE_HEAD = ['Messages', 'Recipients', 'Bytes', 'Bounce rate', 'Refusals', 'Unknown users'];
const RATE_ALIGN: ('l' | 'r')[] = ['r', 'r', 'r', 'r', 'r', 'r'];

function figures(s: Sender): string[] {
  return [
    formatCount(s.messages),
    formatCount(s.recipients),
    formatBytes(s.bytes),
    formatRate(s.bounceRate),
    formatRate(s.refusalRate),
    formatRate(s.unknownShare),
  ];
}

export function sendersSection(report: Report): Section {
  const note = 'who submitted the mail, and what became of it';
  if (report.senders.length === 0)
    return { title: 'Senders', note, blocks: [{ kind: 'text', text: 'No message was submitted.' }] };
  const top = report.senders.slice(0, TOP.senders);
  const ips = report.senderIps.slice(0, TOP.senders);
  return {
    title: 'Senders',
    note,
    blocks: [
      {
        kind: 'text',
        text:
          'Per SASL user, and per sender address where the client did not log in' +
          shown(top.length, report.senders.length, 'submitters') +
          '. Refusals are reputation, blocklist and spam refusals; rates are of sent + bounced.',
      },
      {
        kind: 'table',
        head: ['SASL user', 'Sender', 'Client IPs', ...RATE_HEAD],
        rows: top.map((s) => [s.saslUser ?? '–', s.sender, ipsLabel(s.clientIps), ...figures(s)]),
        align: ['l', 'l', 'l', ...RATE_ALIGN],
      },
      { kind: 'text', text: 'Per submitting client IP:' },
      {
        kind: 'table',
        head: ['Client IP', 'Sender used most', ...RATE_HEAD],
        rows: ips.map((s) => [ipsLabel(s.clientIps), s.sender, ...figures(s)]),
        align: ['l', 'l', ...RATE_ALIGN],
      },
    ],
  };
}

function keyTable(head: string, rows: readonly { key: string; count: number }[]): Block {
  return {
    kind: 'table',
    head: [head, 'Failures'],
    rows: rows.slice(0, TOP.authKeys).map((r) => [r.key === '' ? '(none)' : r.key, formatCount(r.count)]),
    align: ['l', 'r'],
  };
}

/** The warning, fatal and panic lines by shape. */
function warningBlocks(s: Report['server']): Block[] {
  const blocks: Block[] = [];
  const warnings = s.warnings.slice(0, TOP.warnings);
  if (warnings.length === 0) blocks.push({ kind: 'text', text: 'No warning, fatal or panic lines.' });
  else {
    blocks.push({
      kind: 'text',
      text:
        'Warning, fatal and panic lines by shape (addresses, IPs, names and numbers replaced)' +
        shown(warnings.length, s.warnings.length, 'shapes') +
        ':',
    });
    blocks.push({
      kind: 'table',
      head: ['Severity', 'Topic', 'Shape', 'Count', 'First', 'Last'],
      rows: warnings.map((w) => [
        w.severity,
        w.topic,
        clip(w.text, 160),
        formatCount(w.count),
        shortTime(w.first),
        shortTime(w.last),
      ]),
      align: ['l', 'l', 'l', 'r', 'r', 'r'],
    });
  }
  return blocks;
}

export function serverSection(report: Report): Section {
  const note = "the MTA's own warnings, volume, logins and TLS";
  const s = report.server;
  const { received, delivered } = s.volume;
  const { inbound, outbound } = s.tls;
  const blocks: Block[] = [
    {
      kind: 'table',
      head: ['Volume', 'Count', 'Bytes'],
      rows: [
        ['Received (messages)', formatCount(received.messages), formatBytes(received.bytes)],
        ['Delivered (recipients)', formatCount(delivered.recipients), formatBytes(delivered.bytes)],
      ],
      align: ['l', 'r', 'r'],
    },
    {
      kind: 'table',
      head: ['TLS', 'Sessions', 'With TLS', 'Share'],
      rows: [
        [
          'Inbound (messages received over SMTP)',
          formatCount(inbound.sessions),
          formatCount(inbound.tls),
          formatRate(inbound.share),
        ],
        [
          'Outbound (remote deliveries)',
          formatCount(outbound.sessions),
          formatCount(outbound.tls),
          formatRate(outbound.share),
        ],
      ],
      align: ['l', 'r', 'r', 'r'],
    },
  ];
  blocks.push(...warningBlocks(s));
  if (s.auth.failures === 0) blocks.push({ kind: 'text', text: 'No failed SASL logins.' });
  else {
    blocks.push({ kind: 'text', text: `${formatCount(s.auth.failures)} failed SASL logins:` });
    blocks.push(keyTable('Client IP', s.auth.byIp));
    if (s.auth.byUser.length > 0) blocks.push(keyTable('Username', s.auth.byUser));
    else blocks.push({ kind: 'text', text: 'The log named no username for these failures.' });
  }
  return { title: 'Server', note, blocks };
}
