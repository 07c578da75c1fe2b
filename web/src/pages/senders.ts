/** The Senders view: per SASL user (else sender address), sender domain or client IP, what was sent and what became of it. */

import type { SendersResponse } from '../../../server/http/contract/triage.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { fmtBytes, fmtInt, fmtPct } from '../format.js';
import { rangeParams } from '../state.js';
import { errorNotice, section, table, type PageContext, type PageView } from '../ui.js';

type By = SendersResponse['by'];
const GROUPINGS: readonly { id: By; label: string }[] = [
  { id: 'submitter', label: 'SASL user or sender' },
  { id: 'domain', label: 'Sender domain' },
  { id: 'ip', label: 'Client IP' },
];

export function renderSenders(root: HTMLElement, ctx: PageContext): PageView {
  let by: By = 'submitter';
  const body = h('div');
  const picker = h(
    'select',
    { id: 'senders-by' },
    ...GROUPINGS.map((g) => h('option', { value: g.id }, g.label)),
  );
  picker.addEventListener('change', () => {
    by = (GROUPINGS.find((g) => g.id === picker.value) ?? GROUPINGS[0])?.id ?? 'submitter';
    void refresh();
  });
  root.append(
    h('h1', null, 'Senders'),
    h(
      'p',
      { class: 'hint' },
      'Who sends through this server: messages, recipients and bytes, and how their mail fares. A compromised account shows as a login with many messages, a high bounce rate and unknown recipients.',
    ),
    h('p', null, h('label', { for: 'senders-by' }, 'Group by '), picker),
    body,
  );
  const refresh = async () => {
    try {
      const r = await api.senders({ ...rangeParams(ctx.state), by, limit: '100' });
      const t = table(
        'Senders by messages',
        [
          {
            label: by === 'ip' ? 'Client IP' : by === 'domain' ? 'Domain' : 'Sender',
            cell: (s) => (by === 'ip' ? s.clientIps.join(', ') : (s.saslUser ?? s.sender)),
          },
          {
            label: 'Sender',
            optional: true,
            cell: (s) => (by === 'submitter' && s.saslUser !== null ? s.sender : ''),
          },
          {
            label: 'Client IPs',
            optional: true,
            cell: (s) => (by === 'ip' ? '' : s.clientIps.slice(0, 3).join(', ')),
          },
          { label: 'Messages', numeric: true, cell: (s) => fmtInt(s.messages) },
          { label: 'Recipients', numeric: true, cell: (s) => fmtInt(s.recipients) },
          { label: 'Size', numeric: true, optional: true, cell: (s) => fmtBytes(s.bytes) },
          { label: 'Sent', numeric: true, cell: (s) => fmtInt(s.sent) },
          { label: 'Deferred', numeric: true, cell: (s) => fmtInt(s.deferred) },
          { label: 'Bounced', numeric: true, cell: (s) => fmtInt(s.bounced) },
          { label: 'Bounce rate', numeric: true, cell: (s) => fmtPct(s.bounceRate) },
          {
            label: 'Refused as spam or by reputation',
            numeric: true,
            cell: (s) => fmtPct(s.refusalRate),
          },
          { label: 'Unknown recipients', numeric: true, cell: (s) => fmtPct(s.unknownShare) },
        ],
        r.senders,
        'No mail sent in this range.',
      );
      // The table is wider than most screens: its scrolling region must be reachable from the keyboard.
      if (t.classList.contains('table-wrap')) {
        t.tabIndex = 0;
        t.setAttribute('role', 'region');
        t.setAttribute('aria-label', 'Senders table');
      }
      body.replaceChildren(section('Senders', t));
    } catch (err) {
      body.replaceChildren(errorNotice(err));
    }
    root.dataset['loaded'] = String(Date.now());
  };
  return { refresh, destroy: () => undefined };
}
