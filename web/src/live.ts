/** Live updates: one EventSource on /api/v1/events; each stored batch triggers a (debounced) refresh. */

import type { LiveBatchEvent } from '../../server/http/contract/live.js';

export interface LiveOptions {
  /** Called at most every `debounceMs` after new data arrived. */
  onData(event: LiveBatchEvent): void;
  onStatus(status: 'connected' | 'reconnecting'): void;
  debounceMs?: number;
}

export function connectLive(options: LiveOptions): () => void {
  const source = new EventSource('/api/v1/events');
  const wait = options.debounceMs ?? 400;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last: LiveBatchEvent | null = null;
  source.addEventListener('open', () => options.onStatus('connected'));
  source.addEventListener('error', () => options.onStatus('reconnecting'));
  source.addEventListener('batch', (e: MessageEvent<string>) => {
    try {
      last = JSON.parse(e.data) as LiveBatchEvent;
    } catch {
      return;
    }
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      if (last) options.onData(last);
    }, wait);
  });
  return () => {
    if (timer !== null) clearTimeout(timer);
    source.close();
  };
}
