// A store that keeps no triage facts (PostgreSQL, for now): the views and the report say so, never "no problems".
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../server/report/render-html.js';
import { renderMarkdown } from '../../../server/report/render-md.js';
import { reportTriage } from '../../../server/services/report-triage.js';
import { createTriageService } from '../../../server/services/triage.js';
import { sampleReport } from '../report/sample-report.js';

const range = { from: 0, to: 3_600_000, host: null };

describe('triage without a store that keeps it', () => {
  it('the Server and Senders views answer not kept, with the note', async () => {
    const service = createTriageService({ reader: null, monitor: null });
    const server = await service.server(range, 10);
    expect([server.kept, server.note]).toEqual([false, 'not kept by the PostgreSQL store yet']);
    const senders = await service.senders(range, 'submitter', 10);
    expect([senders.kept, senders.note, senders.senders]).toEqual([
      false,
      'not kept by the PostgreSQL store yet',
      [],
    ]);
  });

  it('the report says it in every format instead of an empty section', async () => {
    const report = { ...sampleReport(), ...(await reportTriage(null, range, String)) };
    expect(report.server.kept).toBe(false);
    expect(renderMarkdown(report)).toContain(
      'Senders and server health are not kept by the PostgreSQL store yet.',
    );
    expect(renderHtml(report)).toContain(
      'Senders and server health are not kept by the PostgreSQL store yet.',
    );
    expect(renderMarkdown(report)).not.toContain('No failed SASL logins');
  });
});
