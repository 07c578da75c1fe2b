/** Unparsed lines: which programs wrote lines we did not understand, and one sample of each shape. */

import { api } from '../api.js';
import { h } from '../dom.js';
import { fmtInt, fmtPct, fmtTime } from '../format.js';
import { errorNotice, replyText, section, table, type PageView } from '../ui.js';

export function renderUnparsed(root: HTMLElement): PageView {
  const shareSlot = h('p', { 'data-testid': 'unparsed-share' });
  const countsSlot = h('div');
  const samplesSlot = h('div');
  root.append(
    h('h1', null, 'Unparsed lines'),
    h(
      'p',
      { class: 'hint' },
      'Lines from Postfix or Exim that bouncewatch read but did not understand. Each shape is stored once with a count.',
    ),
    shareSlot,
    h(
      'div',
      { class: 'grid-2 wide-right' },
      section('By program', countsSlot),
      section('Samples', samplesSlot),
    ),
  );
  const refresh = async () => {
    try {
      const r = await api.unparsed({ limit: '100' });
      // How complete the figures are: the share of the lines read that they miss.
      shareSlot.textContent =
        r.linesRead === 0
          ? 'No log lines read yet.'
          : r.unparsed === 0
            ? `All ${fmtInt(r.linesRead)} lines read were understood.`
            : `${fmtInt(r.unparsed)} of ${fmtInt(r.linesRead)} lines read (${fmtPct(r.unparsed / r.linesRead)}) ${r.unparsed === 1 ? 'was' : 'were'} not understood; the figures leave ${r.unparsed === 1 ? 'it' : 'them'} out.`;
      countsSlot.replaceChildren(
        table(
          'Unparsed lines by program',
          [
            { label: 'Program', cell: (c) => c.program },
            { label: 'Lines', numeric: true, cell: (c) => fmtInt(c.count) },
          ],
          r.counts,
          'None.',
        ),
      );
      samplesSlot.replaceChildren(
        table(
          'Samples of unparsed lines',
          [
            { label: 'Seen', numeric: true, cell: (s) => fmtInt(s.count) },
            {
              label: 'Line',
              wide: true,
              cell: (s) =>
                h(
                  'div',
                  { class: 'sample' },
                  replyText(s.line),
                  h(
                    'div',
                    { class: 'sample-meta muted' },
                    `${s.program} · ${s.reason}${s.ts === null ? '' : ` · ${fmtTime(s.ts)}`}`,
                  ),
                ),
            },
          ],
          r.samples,
          'No samples stored.',
        ),
      );
    } catch (err) {
      countsSlot.replaceChildren(errorNotice(err));
    }
    root.dataset['loaded'] = String(Date.now());
  };
  return { refresh, destroy: () => undefined };
}
