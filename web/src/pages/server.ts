/** The Server view: the MTA's own warnings by shape, its queue, TLS use, inbound abuse and our IPs on blocklists. */

import type { ServerResponse } from '../../../server/http/contract/triage.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { fmtInt, fmtPct, fmtTime } from '../format.js';
import { rangeParams } from '../state.js';
import { serverDelay } from './delays.js';
import { errorNotice, replyText, section, table, type PageContext, type PageView } from '../ui.js';

const QUEUE_OFF: Record<string, string> = {
  off: 'Queue reading is off. Set queue.enabled (and queue.mta) in the configuration; the user running bouncewatch must be allowed to run postqueue -j or exim -bp.',
  'not-permitted':
    'The queue command was refused: run bouncewatch as a user allowed to list the queue (Exim: an admin user).',
  'not-installed': 'The queue command was not found on this machine.',
  failed: 'The queue command failed.',
};

function fmtAge(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

function queueSection(q: ServerResponse['queue']): HTMLElement {
  if (q.status !== 'ok') {
    return section(
      'Queue',
      h('p', { class: 'empty' }, QUEUE_OFF[q.status] ?? ''),
      q.message ? replyText(q.message) : '',
    );
  }
  return section(
    'Queue',
    h(
      'p',
      { 'data-testid': 'queue-summary' },
      `${fmtInt(q.messages ?? 0)} messages (${fmtInt(q.deferred ?? 0)} deferred, ${fmtInt(q.held ?? 0)} held or frozen); the oldest is ${fmtAge(q.oldestAgeSeconds)} old. Read ${q.readAt === null ? '' : fmtTime(q.readAt)}.`,
    ),
    table(
      'Deferred messages per recipient domain',
      [
        { label: 'Domain', cell: (d) => d.domain },
        { label: 'Messages', numeric: true, cell: (d) => fmtInt(d.messages) },
        { label: 'Recipients', numeric: true, cell: (d) => fmtInt(d.recipients) },
      ],
      q.deferredByDomain,
      'Nothing deferred.',
    ),
  );
}

function tlsSection(t: ServerResponse['tls']): HTMLElement {
  const line = (label: string, s: ServerResponse['tls']['inbound']) =>
    h(
      'p',
      null,
      `${label}: ${s.sessions === 0 ? 'none seen' : `${fmtPct(s.share)} of ${fmtInt(s.sessions)} with TLS`}${
        s.protocols.length > 0
          ? ` (${s.protocols.map((p) => `${p.protocol} ${fmtInt(p.count)}`).join(', ')})`
          : ''
      }; ${fmtInt(s.failures.reduce((n, f) => n + f.count, 0))} failed handshakes.`,
    );
  return section(
    'TLS',
    line('Received messages', t.inbound),
    line('Remote deliveries', t.outbound),
    table(
      'Recipient domains delivered to without TLS',
      [
        { label: 'Domain', cell: (d) => d.domain },
        { label: 'Without TLS', numeric: true, cell: (d) => fmtInt(d.plain) },
        { label: 'With TLS', numeric: true, cell: (d) => fmtInt(d.tls) },
      ],
      t.plainDomains,
      'Every remote delivery used TLS.',
    ),
  );
}

function inboundSection(i: ServerResponse['inbound']): HTMLElement {
  const counts = (caption: string, what: string, rows: { key: string; count: number }[], empty: string) =>
    table(
      caption,
      [
        { label: what, cell: (r) => r.key || '(unknown)' },
        { label: 'Count', numeric: true, cell: (r) => fmtInt(r.count) },
      ],
      rows,
      empty,
    );
  return section(
    'Inbound abuse',
    h(
      'p',
      null,
      `${fmtInt(i.authFailures)} failed SMTP logins. postscreen: ${fmtInt(i.postscreen.pregreet)} PREGREET, ${fmtInt(i.postscreen.dnsblRank)} DNSBL ranks, ${fmtInt(i.postscreen.hangup)} HANGUP, ${fmtInt(i.postscreen.pipelining)} COMMAND PIPELINING.`,
    ),
    h(
      'div',
      { class: 'grid-2' },
      counts('Failed logins by client IP', 'Client IP', i.authByIp, 'No failed logins.'),
      counts('Failed logins by user name', 'User name', i.authByUser, 'No user names tried.'),
    ),
  );
}

function blocklistSection(b: ServerResponse['blocklists']): HTMLElement {
  if (!b.enabled) {
    return section(
      'Our IPs on blocklists',
      h(
        'p',
        { class: 'empty' },
        'Blocklist checks are off. Set blocklists.enabled, your sending IPs (blocklists.ips) and your own resolver in the configuration.',
      ),
    );
  }
  return section(
    'Our IPs on blocklists',
    h(
      'p',
      null,
      b.checkedAt === null
        ? 'Not checked yet.'
        : `Checked ${fmtTime(b.checkedAt)}: ${b.ips.join(', ') || 'no sending IP known yet'}.`,
    ),
    table(
      'Blocklist results',
      [
        { label: 'IP', cell: (r) => r.ip },
        { label: 'List', cell: (r) => r.zone },
        {
          label: 'Result',
          cell: (r) => (r.status === 'listed' ? `listed: ${r.meanings.join(', ')}` : r.status),
        },
        {
          label: 'Detail',
          wide: true,
          cell: (r) =>
            r.status === 'listed' && r.delistUrl
              ? h('a', { href: r.delistUrl }, 'Delisting page')
              : (r.detail ?? ''),
        },
      ],
      b.results,
      'No results yet.',
    ),
  );
}

const PANICLOG: Record<ServerResponse['paniclog']['status'], string> = {
  off: 'Exim paniclog: not read (paniclog.enabled is false).',
  ok: 'Exim paniclog: read; its panics are among the warnings above.',
  absent: 'Exim paniclog: none at this path (Exim writes it with its first panic).',
  'not-permitted':
    'Exim paniclog: not readable by bouncewatch (add its user to the group that owns the file).',
  failed: 'Exim paniclog: could not be read.',
};

function paniclogNote(p: ServerResponse['paniclog']): HTMLElement {
  const where = p.path === null ? '' : ` (${p.path})`;
  return h('p', { class: 'hint', 'data-testid': 'paniclog' }, PANICLOG[p.status] + where);
}

export function renderServer(root: HTMLElement, ctx: PageContext): PageView {
  const body = h('div');
  root.append(
    h('h1', null, 'Server'),
    h(
      'p',
      { class: 'hint' },
      "This server's own health: its warnings, queue, TLS use, inbound abuse, its IPs on blocklists, and how long delivery takes.",
    ),
    body,
  );
  const refresh = async () => {
    try {
      const [r, delay] = await Promise.all([
        api.server(rangeParams(ctx.state)),
        serverDelay(ctx.state).catch((err: unknown) =>
          errorNotice(err, { title: 'Could not show the delivery delay' }),
        ),
      ]);
      const warnings = table(
        'Warnings, fatal errors and panics by shape',
        [
          {
            label: 'Severity',
            cell: (w) =>
              h(
                'span',
                { class: `badge ${w.severity === 'warning' ? 'temporary' : 'permanent'}` },
                w.severity,
              ),
          },
          { label: 'About', cell: (w) => w.topic },
          {
            label: 'Shape',
            wide: true,
            cell: (w) =>
              h(
                'div',
                { class: 'sample' },
                replyText(w.text),
                h('div', { class: 'sample-meta muted' }, replyText(w.example)),
              ),
          },
          { label: 'Count', numeric: true, cell: (w) => fmtInt(w.count) },
          { label: 'First', optional: true, cell: (w) => fmtTime(w.first) },
          { label: 'Last', cell: (w) => fmtTime(w.last) },
        ],
        r.warnings,
        'No warnings in this range.',
      );
      body.replaceChildren(
        section('Warnings', warnings, paniclogNote(r.paniclog)),
        h('div', { class: 'grid-2' }, queueSection(r.queue), tlsSection(r.tls)),
        h('div', { class: 'grid-2' }, inboundSection(r.inbound), blocklistSection(r.blocklists)),
        delay,
      );
    } catch (err) {
      body.replaceChildren(errorNotice(err));
    }
    root.dataset['loaded'] = String(Date.now());
  };
  return { refresh, destroy: () => undefined };
}
