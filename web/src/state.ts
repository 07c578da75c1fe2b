/** The view state lives in the URL hash (`#/page/key?range=24h&host=mx1`), so a pasted link opens the same view. */

export type Page =
  | 'overview'
  | 'domain'
  | 'provider'
  | 'cause'
  | 'code'
  | 'trace'
  | 'codes'
  | 'unparsed'
  | 'reports'
  | 'senders'
  | 'server';
export type Preset = '1h' | '24h' | '7d' | '30d';

export const PRESETS: readonly { id: Preset; label: string }[] = [
  { id: '1h', label: '1 hour' },
  { id: '24h', label: '24 hours' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
];

const PAGES: readonly Page[] = [
  'overview',
  'domain',
  'provider',
  'cause',
  'code',
  'trace',
  'codes',
  'unparsed',
  'reports',
  'senders',
  'server',
];
const DETAIL_PAGES: readonly Page[] = ['domain', 'provider', 'cause', 'code'];

export interface ViewState {
  page: Page;
  /** Domain, provider id, cause id or code on drill-down pages. */
  key: string | null;
  /** A preset, or null for a custom range given by from/to. */
  range: Preset | null;
  /** ISO times of a custom range; `to` null means "until now". */
  from: string | null;
  to: string | null;
  host: string | null;
  /** Search text (trace), code (code reference), week (reports). */
  q: string | null;
  format: string | null;
  /** The overview's section: outbound deliverability (absent), inbound delivery or inbound protection. */
  section?: OverviewSection | null;
}

export type OverviewSection = 'outbound' | 'inbound' | 'protection';
const SECTIONS: readonly OverviewSection[] = ['outbound', 'inbound', 'protection'];

export const isDetailPage = (p: Page): boolean => DETAIL_PAGES.includes(p);

export function parseHash(hash: string): ViewState {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?', 2);
  const [pageRaw = '', ...rest] = path.split('/');
  const page = (PAGES as readonly string[]).includes(pageRaw) ? (pageRaw as Page) : 'overview';
  const params = new URLSearchParams(query);
  let key: string | null = null;
  if (isDetailPage(page) && rest.length > 0) {
    try {
      key = decodeURIComponent(rest.join('/'));
    } catch {
      key = null;
    }
  }
  const rangeRaw = params.get('range');
  const range = PRESETS.some((p) => p.id === rangeRaw) ? (rangeRaw as Preset) : null;
  const from = params.get('from');
  const to = params.get('to');
  return {
    page,
    key,
    range: range ?? (from ? null : '24h'),
    from: range ? null : from,
    to: range ? null : to,
    host: params.get('host') || null,
    q: params.get('q'),
    format: params.get('format'),
    section: SECTIONS.find((x) => x === params.get('section')) ?? null,
  };
}

export function formatHash(s: ViewState): string {
  const path = s.key !== null && isDetailPage(s.page) ? `${s.page}/${encodeURIComponent(s.key)}` : s.page;
  const params = new URLSearchParams();
  if (s.range) params.set('range', s.range);
  else {
    if (s.from) params.set('from', s.from);
    if (s.to) params.set('to', s.to);
  }
  if (s.host) params.set('host', s.host);
  if (s.q) params.set('q', s.q);
  if (s.format) params.set('format', s.format);
  if (s.section && s.page === 'overview') params.set('section', s.section);
  const qs = params.toString();
  return `#/${path}${qs ? `?${qs}` : ''}`;
}

/** A link to another view that keeps the current range and host. */
export function linkTo(
  current: ViewState,
  page: Page,
  key: string | null = null,
  extra: Partial<ViewState> = {},
): string {
  return formatHash({ ...current, page, key, q: null, format: null, section: null, ...extra });
}

/** The API's range parameters for the current state. */
export function rangeParams(s: ViewState): Record<string, string> {
  const p: Record<string, string> = {};
  if (s.range) p['range'] = s.range;
  else {
    if (s.from) p['from'] = s.from;
    if (s.to) p['to'] = s.to;
  }
  if (s.host) p['host'] = s.host;
  return p;
}

/** True while the range ends at "now": only then do live updates refresh the view. */
export const isLive = (s: ViewState): boolean => s.range !== null || s.to === null;
