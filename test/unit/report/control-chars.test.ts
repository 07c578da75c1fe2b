// Log text with terminal escapes: every text output shows the control characters (`\x1b`) and keeps none raw.
import { describe, expect, it } from 'vitest';
import { bodyLines, titleOf } from '../../../server/alerts/notify/format.js';
import { fenceSafe, slackPayload } from '../../../server/alerts/notify/webhook.js';
import type { AlertNotification } from '../../../server/alerts/types.js';
import { csvCell, renderAddressesCsv, renderCsv } from '../../../server/report/render-csv.js';
import { renderMarkdown } from '../../../server/report/render-md.js';
import { showControls } from '../../../server/visible-text.js';
import { sampleReport } from './sample-report.js';

/** Clears the screen, sets the window title, and a C1 CSI (0x9b) and a right-to-left override. */
const ESCAPES = '\x1b[2J\x1b]0;pwned\x07\u009b31m\u202etxt.exe';
/** Any control character a terminal might act on (tab, newline and carriage return end lines and cells). */
// eslint-disable-next-line no-control-regex -- the test looks for exactly these
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('showControls', () => {
  it.each([
    ['\x1b[2J', '\\x1b[2J'],
    ['a\tb\r\nc', 'a\\x09b\\x0d\\x0ac'],
    ['\x00\x7f', '\\x00\\x7f'],
    ['\u009b1m', '\\x9b1m'],
    ['\u202egnp.exe', '\\u202egnp.exe'],
    ['Zustellung für müller.de — 550 5.1.1', 'Zustellung für müller.de — 550 5.1.1'],
  ])('%j is shown as %j', (input, shown) => {
    expect(showControls(input)).toBe(shown);
  });
});

describe('reports as text', () => {
  const report = sampleReport(ESCAPES);

  it('Markdown shows the escapes and keeps no raw control byte', () => {
    const md = renderMarkdown(report);
    expect(md).not.toMatch(RAW);
    expect(md).toContain('\\\\x1b\\[2J'); // the backslash and the bracket escaped for Markdown
  });

  it('the csv and the address list show them', () => {
    for (const csv of [renderCsv(report), renderAddressesCsv(report)]) {
      expect(csv).not.toMatch(RAW);
      expect(csv).toContain('\\x1b[2J');
    }
    expect(csvCell('\tx')).toBe('\\x09x');
    expect(csvCell('=1+1')).toBe("'=1+1");
  });
});

describe('alerts as text', () => {
  const firing: AlertNotification = {
    status: 'firing',
    alert: {
      id: 1,
      key: 'bounce-spike:domain:x',
      rule: 'bounce-spike',
      subject: `domain x${ESCAPES}`,
      severity: 'warning',
      summary: `x${ESCAPES} bounces`,
      evidence: {
        window: { from: 0, to: 60_000 },
        counts: { bounced: 9 },
        causes: [],
        examples: [
          {
            ts: 0,
            domain: `d${ESCAPES}`,
            provider: null,
            code: '5.1.1',
            diagnostic: '550 5.1.1 ``` *fake* <!channel> ```' + ESCAPES,
          },
        ],
        action: 'Check.',
      },
      openedAt: 0,
      resolvedAt: null,
    },
  };

  it('the mail body and title show the escapes', () => {
    expect(titleOf(firing)).not.toMatch(RAW);
    for (const line of bodyLines(firing)) expect(line).not.toMatch(RAW);
    expect(bodyLines(firing).join('\n')).toContain('\\x1b[2J');
  });

  it("a reply's three backticks cannot close Slack's code block", () => {
    const block = slackPayload(firing, 'h').blocks[1] as { text: { text: string } };
    const text = block.text.text;
    expect(text.startsWith('```\n')).toBe(true);
    expect(text.endsWith('\n```')).toBe(true);
    expect(text.slice(3, -3)).not.toContain('```');
    expect(text).not.toMatch(RAW);
    expect(fenceSafe('a````b')).toBe('a`\u200b`\u200b`\u200b`b');
  });
});
