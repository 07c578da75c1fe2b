/** One measured figure of `npm run bench`. */
export interface BenchRow {
  /** parse, classify, ingest, api, dashboard ... */
  section: string;
  /** What was measured, e.g. "postfix 1M lines". */
  name: string;
  value: number;
  /** lines/s, ms, MiB, x ... */
  unit: string;
  note?: string;
}
