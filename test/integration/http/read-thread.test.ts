// Reports and drill-downs read raw rows on their own thread: /healthz answers while a report is being made, and a
// read past its time budget is stopped with a 503 instead of holding the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWriterWorker, type SourceWorker } from '../../helpers/writer-worker.js';
import { attempt, DAY, NOW, startTestServer } from './helpers.js';

let worker: SourceWorker;
let readScript: string;
beforeAll(async () => {
  worker = await buildWriterWorker();
  readScript = worker.script.replace('write/writer-worker.js', 'read-worker.js');
});
afterAll(() => worker.remove());

/** Last full week of NOW (2026-11-20): the report's default range. */
const WEEK_START = NOW - 11 * DAY;

/** Failures whose replies each differ (the report shapes them all), about 1.5 KiB each. */
function failures(n: number) {
  return Array.from({ length: n }, (_, i) =>
    attempt({
      ts: WEEK_START + (i % 6000) * 60_000,
      outcome: 'bounced',
      class: 'permanent',
      cause: 'blocked-reputation',
      replyCode: 550,
      enhancedStatus: '5.7.1',
      diagnostic: `550 5.7.1 rejected ${i} ` + `word${i % 97} `.repeat(200),
    }),
  );
}

describe('the read thread', () => {
  it('answers /healthz while a report is being made, and the report matches the one made inline', async () => {
    const threaded = await startTestServer({ readThread: { script: readScript } });
    const inline = await startTestServer({ readThread: false });
    try {
      for (let i = 0; i < 4; i++) {
        const rows = failures(5000);
        threaded.write(rows);
        inline.write(rows);
      }
      const order: string[] = [];
      const report = threaded.get('/api/v1/reports?format=json').then((r) => {
        order.push('report');
        return r;
      });
      // Sent once the report's first read is with the thread.
      await new Promise((resolve) => setImmediate(resolve));
      const health = threaded.get('/healthz').then((r) => {
        order.push('healthz');
        return r;
      });
      const [r, h] = await Promise.all([report, health]);
      expect(r.status).toBe(200);
      expect(h.status).toBeLessThan(600);
      expect(order).toEqual(['healthz', 'report']);
      const expected = await inline.get('/api/v1/reports?format=json');
      expect(r.body).toEqual(expected.body);
    } finally {
      await threaded.close();
      await inline.close();
    }
  });

  it('stops a read past its budget with a 503 and keeps answering', async () => {
    const server = await startTestServer({ readThread: { script: readScript, budgetMs: 1 } });
    try {
      server.write(failures(2000));
      const slow = await server.get('/api/v1/reports?format=json');
      expect(slow.status).toBe(503);
      expect(slow.headers.get('retry-after')).toBe('60');
      expect(slow.body).toMatchObject({ error: { code: 'too-slow' } });
      expect((await server.get('/healthz')).status).toBeLessThan(600);
    } finally {
      await server.close();
    }
  });
});
