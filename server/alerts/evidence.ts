/** Builds the evidence an alert carries: causes with their recommended action, example replies, codes named in them. */

import { classifierKnowledge } from '../services/knowledge.js';
import type { AlertEvidence } from '../http/contract/alerts.js';
import type { Sample } from './window.js';

const knowledge = classifierKnowledge();

/** The classifier's recommended action for a cause id, or null for an unknown id. */
export function actionFor(cause: string): string | null {
  return knowledge.cause(cause)?.action ?? null;
}

/** Causes by count, busiest first, each with its action. */
export function causeList(causes: ReadonlyMap<string, number>, limit = 5): AlertEvidence['causes'] {
  return [...causes]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([cause, count]) => ({ cause, count, action: actionFor(cause) }));
}

export function exampleList(samples: readonly Sample[]): AlertEvidence['examples'] {
  return samples.map((s) => ({
    ts: s.ts,
    domain: s.domain,
    provider: s.provider,
    code: s.code,
    diagnostic: s.diagnostic,
  }));
}

/** Provider-specific codes written into reply text (Microsoft S3150 and AS(...), Yahoo TSS04, ...). */
const PROVIDER_CODE =
  /\b(S\d{4}|TSS\d{2}|AS\(\d{3,5}\)|RP-\d{3}|SC-\d{3}|DY-\d{3}|PH\d{2}|[45]\.7\.\d{1,3})\b/g;

export function providerCodes(samples: readonly Sample[]): string[] {
  const codes = new Set<string>();
  for (const s of samples) {
    if (s.code !== null) codes.add(s.code);
    for (const m of s.diagnostic.matchAll(PROVIDER_CODE)) codes.add(m[1]!);
  }
  return [...codes].slice(0, 10);
}

export function blocklistNames(samples: readonly Sample[]): string[] {
  return [...new Set(samples.flatMap((s) => (s.blocklist === null ? [] : [s.blocklist])))].slice(0, 10);
}

/** Counts of values, busiest first. */
export function topCounts(values: Iterable<string>, limit = 5): { domain: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([domain, count]) => ({ domain, count }));
}

export const percent = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
