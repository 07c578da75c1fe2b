// Logs read well on a terminal and stay JSON for machines; text from a log line never reaches a terminal as codes.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, createLogger } from '../../../server/log.js';
import { formatPrettyLine } from '../../../server/log-pretty.js';

function capture(tty: boolean) {
  const lines: string[] = [];
  const out = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
    { isTTY: tty },
  );
  return { out, lines };
}

describe('log format', () => {
  it('is pretty on a terminal and JSON elsewhere, unless set', () => {
    expect(chooseLogFormat('auto', true)).toBe('pretty');
    expect(chooseLogFormat('auto', false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });

  it('writes a readable line on a terminal: time, level, component, message, fields', () => {
    const { out, lines } = capture(true);
    createLogger({ destination: out, format: 'auto', level: 'info' })
      .child({ component: 'ingest' })
      .warn({ path: '/var/log/mail.log.2.gz', err: new Error('unexpected end of file') }, 'file damaged');
    expect(lines).toHaveLength(1);
    const [time, rest] = [lines[0]!.slice(0, 8), lines[0]!.slice(8)];
    expect(time).toMatch(/^\d\d:\d\d:\d\d$/);
    // The level in yellow (a terminal's colour codes), then the component, the message and the fields.
    expect(rest).toBe(
      ' \u001b[33mWARN \u001b[0m [ingest] file damaged  path=/var/log/mail.log.2.gz err="unexpected end of file"\n',
    );
  });

  it('stays JSON when set, also on a terminal', () => {
    const { out, lines } = capture(true);
    createLogger({ destination: out, format: 'json' }).info({ n: 1 }, 'hello');
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'hello', n: 1, level: 30 });
  });

  it('shows control characters and terminal escapes from log text as visible escapes', () => {
    const line = JSON.stringify({
      level: 40,
      time: 0,
      msg: 'reply \u001b[2Jcleared',
      reply: '550 \u001b]0;owned\u0007 no',
    });
    const pretty = formatPrettyLine(line, { color: false });
    const controls = Array.from({ length: pretty.length }, (_, k) => pretty.charCodeAt(k)).filter(
      (c) => c !== 0x0a && (c < 0x20 || c === 0x7f),
    );
    expect(controls).toEqual([]);
    expect(pretty).toContain('reply \\u001b[2Jcleared');
    expect(pretty).toContain('reply="550 \\u001b]0;owned\\u0007 no"');
  });
});
