/** Typed calls to /api/v1; failures become ApiFailure with the server's error code and message. */

import type { AlertsResponse } from '../../server/http/contract/alerts.js';
import type { ApiError } from '../../server/http/contract/common.js';
import type { DelaysResponse } from '../../server/http/contract/delays.js';
import type { DetailResponse } from '../../server/http/contract/detail.js';
import type { FlowsResponse, InboundResponse } from '../../server/http/contract/flows.js';
import type { HealthResponse } from '../../server/http/contract/health.js';
import type {
  CausesResponse,
  DataSpanResponse,
  HostTableResponse,
  HostsResponse,
  SeriesResponse,
  SummaryResponse,
  TargetsResponse,
} from '../../server/http/contract/overview.js';
import type { CausesReferenceResponse, CodeExplanation } from '../../server/http/contract/reference.js';
import type { TraceResponse } from '../../server/http/contract/trace.js';
import type { SendersResponse, ServerResponse } from '../../server/http/contract/triage.js';
import type { UnparsedResponse } from '../../server/http/contract/unparsed.js';

export interface ApiFailure extends Error {
  status: number;
  code: string;
}

const isApiError = (v: unknown): v is ApiError =>
  typeof v === 'object' && v !== null && 'error' in v && typeof (v as ApiError).error.message === 'string';

export async function get<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, v);
  const url = `/api/v1/${path}${qs.size > 0 ? `?${qs.toString()}` : ''}`;
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = isApiError(body) ? body.error : { code: 'http-error', message: `HTTP ${res.status}` };
    const failure: ApiFailure = Object.assign(new Error(err.message), { status: res.status, code: err.code });
    throw failure;
  }
  return body as T;
}

type P = Record<string, string>;

export const api = {
  summary: (p: P) => get<SummaryResponse>('summary', p),
  series: (p: P) => get<SeriesResponse>('series', p),
  causes: (p: P) => get<CausesResponse>('causes', p),
  domains: (p: P) => get<TargetsResponse>('domains', p),
  providers: (p: P) => get<TargetsResponse>('providers', p),
  hosts: (p: P) => get<HostsResponse>('hosts', p),
  hostTable: (p: P) => get<HostTableResponse>('host-table', p),
  flows: (p: P) => get<FlowsResponse>('flows', p),
  inbound: (p: P) => get<InboundResponse>('inbound', p),
  span: () => get<DataSpanResponse>('span'),
  detail: (kind: 'domain' | 'provider' | 'cause' | 'code', key: string, p: P) =>
    get<DetailResponse>(`${kind === 'domain' ? 'domains' : `${kind}s`}/${encodeURIComponent(key)}`, p),
  trace: (p: P) => get<TraceResponse>('trace', p),
  explain: (code: string) => get<CodeExplanation>('explain', { code }),
  causesReference: () => get<CausesReferenceResponse>('reference/causes'),
  unparsed: (p: P) => get<UnparsedResponse>('unparsed', p),
  server: (p: P) => get<ServerResponse>('server', p),
  senders: (p: P) => get<SendersResponse>('senders', p),
  delays: (p: P) => get<DelaysResponse>('delays', p),
  health: () => get<HealthResponse>('health'),
  alerts: () => get<AlertsResponse>('alerts', { hours: '24' }),
};
