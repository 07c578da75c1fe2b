/** Code reference: explain any basic or enhanced reply code, and list every cause with its meaning and action. */

import type { CausesReferenceResponse, CodeExplanation } from '../../../server/http/contract/reference.js';
import { api } from '../api.js';
import { h, withCode } from '../dom.js';
import { linkTo } from '../state.js';
import { explanationBody } from '../explain-view.js';
import { CODE_HINT, errorNotice, section, type PageContext, type PageView } from '../ui.js';

const CODE_RE = /^(?:[245]\d\d|[245]\.\d{1,3}\.\d{1,3})$/;

function explanation(ctx: PageContext, e: CodeExplanation): HTMLElement {
  return h(
    'article',
    { class: 'card explain', 'data-testid': 'code-explanation' },
    h('h2', null, h('span', { class: 'mono' }, e.code)),
    ...explanationBody(ctx.state, e),
    CODE_RE.test(e.code)
      ? h(
          'p',
          null,
          h(
            'a',
            { href: linkTo({ ...ctx.state, range: ctx.state.range ?? '7d' }, 'code', e.code) },
            `Where ${e.code} appeared in your logs →`,
          ),
        )
      : null,
  );
}

function causesList(r: CausesReferenceResponse, ctx: PageContext): HTMLElement {
  return h(
    'dl',
    { class: 'reference' },
    ...r.causes.flatMap((c) => [
      h(
        'dt',
        { id: `cause-${c.cause}` },
        h('a', { href: linkTo(ctx.state, 'cause', c.cause) }, c.title),
        ' ',
        h('span', { class: 'muted id' }, c.cause),
      ),
      h(
        'dd',
        null,
        h('p', null, c.meaning),
        h('p', { class: 'action' }, h('strong', null, 'What to do: '), ...withCode(c.action)),
      ),
    ]),
  );
}

export function renderCodes(root: HTMLElement, ctx: PageContext): PageView {
  const state = ctx.state;
  const input = h('input', {
    id: 'codes-q',
    name: 'code',
    type: 'search',
    value: state.q ?? '',
    placeholder: '550, 421, 5.7.26, 4.2.2 …',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '16',
    required: '',
  });
  const form = h(
    'form',
    { class: 'search', role: 'search', 'aria-label': 'Explain a code' },
    h('label', { for: 'codes-q' }, 'Reply code or enhanced status'),
    input,
    h('button', { type: 'submit' }, 'Explain'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (q) ctx.navigate({ q });
  });
  const result = h('div', { 'aria-live': 'polite' });
  const causes = h('div');
  root.append(
    h('h1', null, 'Code reference'),
    section('Look up a code', form),
    result,
    section('Causes and what to do', causes),
  );

  const refresh = async () => {
    const work: Promise<void>[] = [];
    if (state.q) {
      work.push(
        api
          .explain(state.q)
          .then((e) => result.replaceChildren(explanation(ctx, e)))
          .catch((err: unknown) =>
            result.replaceChildren(
              errorNotice(err, { title: `Could not explain ${state.q}`, hint: CODE_HINT }),
            ),
          ),
      );
    } else result.replaceChildren();
    work.push(
      api
        .causesReference()
        .then((r) => causes.replaceChildren(causesList(r, ctx)))
        .catch((err: unknown) => causes.replaceChildren(errorNotice(err))),
    );
    await Promise.all(work);
    root.dataset['loaded'] = String(Date.now());
  };
  return { refresh, destroy: () => undefined };
}
