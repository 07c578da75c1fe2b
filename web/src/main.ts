/** The dashboard's entry: reads the view from the URL, renders its page, keeps it live, wires the header. */

import { byId, h } from './dom.js';
import { fmtTime } from './format.js';
import { connectLive } from './live.js';
import { renderCodes } from './pages/codes.js';
import { renderDetail } from './pages/detail.js';
import { renderOverview } from './pages/overview.js';
import { renderReports } from './pages/reports.js';
import { renderSenders } from './pages/senders.js';
import { renderServer } from './pages/server.js';
import { renderTrace } from './pages/trace.js';
import { renderUnparsed } from './pages/unparsed.js';
import { formatHash, isDetailPage, isLive, linkTo, parseHash, type Page, type ViewState } from './state.js';
import { renderToolbar } from './toolbar.js';
import type { PageContext, PageView } from './ui.js';

const RANGED: readonly Page[] = ['overview', 'domain', 'provider', 'cause', 'code', 'senders', 'server'];
const TITLES: Record<Page, string> = {
  overview: 'Overview',
  domain: 'Domain',
  provider: 'Provider',
  cause: 'Cause',
  code: 'Reply code',
  trace: 'Message trace',
  codes: 'Code reference',
  unparsed: 'Unparsed lines',
  reports: 'Reports',
  senders: 'Senders',
  server: 'Server',
};

let current: { state: ViewState; view: PageView } | null = null;

function navigate(next: Partial<ViewState>): void {
  const base = current?.state ?? parseHash(location.hash);
  location.hash = formatHash({ ...base, ...next });
}

function render(): void {
  const state = parseHash(location.hash);
  const canonical = formatHash(state);
  if (location.hash !== canonical) {
    history.replaceState(null, '', canonical);
  }
  current?.view.destroy();
  const main = byId('main', HTMLElement);
  main.replaceChildren();
  delete main.dataset['loaded'];
  const toolbar = byId('toolbar', HTMLElement);
  if (RANGED.includes(state.page)) renderToolbar(toolbar, state, navigate);
  else toolbar.replaceChildren();
  toolbar.hidden = !RANGED.includes(state.page);
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.nav a, a.brand')) {
    // The header's links keep the range and host, so a custom range carries from one view to the next.
    const target = a.dataset['page'] as Page | undefined;
    a.href = linkTo(state, target ?? 'overview');
    if (!target) continue;
    const active =
      a.dataset['page'] === state.page || (a.dataset['page'] === 'overview' && isDetailPage(state.page));
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${TITLES[state.page]}${state.key ? `: ${state.key}` : ''} · bouncewatch`;
  const ctx: PageContext = { state, navigate };
  const view =
    state.page === 'overview'
      ? renderOverview(main, ctx)
      : isDetailPage(state.page)
        ? renderDetail(main, ctx)
        : state.page === 'trace'
          ? renderTrace(main, ctx)
          : state.page === 'codes'
            ? renderCodes(main, ctx)
            : state.page === 'unparsed'
              ? renderUnparsed(main)
              : state.page === 'senders'
                ? renderSenders(main, ctx)
                : state.page === 'server'
                  ? renderServer(main, ctx)
                  : renderReports(main, ctx);
  current = { state, view };
  void view.refresh();
}

/** The banner at the top that says the figures on screen are not being kept up to date. */
function showLiveBanner(lost: boolean): void {
  const banner = byId('status-banner', HTMLElement);
  if (!lost) {
    banner.hidden = true;
    banner.replaceChildren();
    return;
  }
  banner.replaceChildren(
    h('strong', null, 'Not live: '),
    'the connection to bouncewatch is lost, so the figures on this page may be out of date. Retrying…',
  );
  banner.hidden = false;
}

function start(): void {
  // The skip link moves focus to the page itself; as a hash link it would be taken for a route.
  byId('skip-link', HTMLAnchorElement).addEventListener('click', (e) => {
    e.preventDefault();
    byId('main', HTMLElement).focus();
  });
  // Charts take their colours when drawn: a switch between light and dark draws the page again.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', render);
  byId('code-lookup', HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    const input = byId('code-input', HTMLInputElement);
    const code = input.value.trim();
    if (code) navigate({ page: 'codes', key: null, q: code });
  });
  window.addEventListener('hashchange', render);
  const liveLabel = byId('live', HTMLElement);
  let lost = false;
  connectLive({
    onStatus: (s) => {
      liveLabel.textContent = s === 'connected' ? 'Live: connected' : 'Live: reconnecting…';
      liveLabel.className = `live ${s}`;
      showLiveBanner(s === 'reconnecting');
      // Back after a loss: what is on screen may be old, so read it again.
      if (s === 'connected' && lost) void current?.view.refresh();
      lost = s === 'reconnecting';
    },
    onData: (e) => {
      if (!current || !isLive(current.state)) return;
      liveLabel.textContent = `Live: new data ${e.newestTs ? `up to ${fmtTime(e.newestTs)}` : ''}`;
      void current.view.refresh();
    },
  });
  render();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
