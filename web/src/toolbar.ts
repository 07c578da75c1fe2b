/** The range picker (presets and custom) and the host filter, both written into the URL. */

import { api } from './api.js';
import { h } from './dom.js';
import { toLocalInput } from './format.js';
import { PRESETS, rangeParams, type ViewState } from './state.js';

export function renderToolbar(
  bar: HTMLElement,
  state: ViewState,
  navigate: (next: Partial<ViewState>) => void,
): void {
  const presets = h(
    'div',
    { class: 'presets', role: 'group', 'aria-label': 'Time range' },
    ...PRESETS.map((p) => {
      const b = h(
        'button',
        { type: 'button', 'aria-pressed': String(state.range === p.id), 'data-testid': `range-${p.id}` },
        p.label,
      );
      b.addEventListener('click', () => navigate({ range: p.id, from: null, to: null }));
      return b;
    }),
  );

  const now = Date.now();
  const fromTs = state.from ? Date.parse(state.from) : now - 86_400_000;
  const toTs = state.to ? Date.parse(state.to) : null;
  const fromInput = h('input', {
    id: 'range-from',
    type: 'datetime-local',
    value: toLocalInput(Number.isNaN(fromTs) ? now - 86_400_000 : fromTs),
    required: '',
  });
  const toInput = h('input', {
    id: 'range-to',
    type: 'datetime-local',
    value: toTs && !Number.isNaN(toTs) ? toLocalInput(toTs) : '',
  });
  const custom = h(
    'form',
    { class: `custom${state.range === null ? ' active' : ''}`, 'aria-label': 'Custom range' },
    h('label', { for: 'range-from' }, 'From'),
    fromInput,
    h('label', { for: 'range-to' }, 'To'),
    toInput,
    h('button', { type: 'submit' }, 'Apply'),
  );
  custom.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new Date(fromInput.value).getTime();
    const t = toInput.value ? new Date(toInput.value).getTime() : null;
    if (Number.isNaN(f) || (t !== null && (Number.isNaN(t) || t <= f))) {
      fromInput.setCustomValidity('The start must be a valid time before the end.');
      fromInput.reportValidity();
      return;
    }
    fromInput.setCustomValidity('');
    navigate({
      range: null,
      from: new Date(f).toISOString(),
      to: t === null ? null : new Date(t).toISOString(),
    });
  });

  const select = h('select', { id: 'host-filter', name: 'host' }, h('option', { value: '' }, 'All hosts'));
  if (state.host) select.append(h('option', { value: state.host }, state.host));
  select.value = state.host ?? '';
  select.addEventListener('change', () => navigate({ host: select.value || null }));
  const hostBox = h('div', { class: 'host' }, h('label', { for: 'host-filter' }, 'Host'), select);

  // The custom range folds away while a preset is active (it takes a lot of room on a phone).
  const customBox = h(
    'details',
    { class: 'custom-box', ...(state.range === null ? { open: '' } : {}) },
    h('summary', null, state.range === null ? 'Custom range' : 'Custom…'),
    custom,
  );
  bar.replaceChildren(presets, customBox, hostBox);
  const range = rangeParams({ ...state, host: null });
  api
    .hosts(range)
    .then(({ hosts }) => {
      for (const name of hosts) if (name !== state.host) select.append(h('option', { value: name }, name));
      select.value = state.host ?? '';
    })
    .catch(() => {
      // The filter still works with the host from the URL; the list is a convenience.
    });
}
