/** `bouncewatch classify`: classify a pasted reply, or JSON lines of replies on stdin. */

import { once } from 'node:events';
import { causeInfo, classify, providerHelp, providerInfo } from '../../../classify/index.js';
import type { Classification, ClassifyInput } from '../../../classify/types.js';
import type { Outcome, SmtpStage } from '../../../parsers/types.js';
import { UsageError, parseFlags } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { showControls } from '../../visible-text.js';

const HELP = `Usage: bouncewatch classify [options] [TEXT...]
       bouncewatch classify --jsonl < replies.jsonl

Classify one SMTP reply (a bounce or deferral text) and say what to do about it.
TEXT is the reply as the log or bounce shows it, e.g. "550 5.7.1 ... blocked using zen.spamhaus.org".
Without TEXT (and without --jsonl) the reply is read from stdin.

Options:
  --json            print the classification as one JSON object
  --jsonl           read JSON lines {"diagnostic", "reply"?, "status"?, "stage"?, "relayHost"?,
                    "outcome"?, "recipientDomain"?, "dsn"?, "direction"?} on stdin, write one JSON object per line
  --stage STAGE     SMTP stage of the reply: connect, helo, mail, rcpt, data, end-of-data
  --host HOST       host name of the server that answered (recognises the provider)
  --reply CODE      basic reply code, when TEXT does not start with it
  --status X.Y.Z    enhanced status, when TEXT does not carry it
  -h, --help        show this help

Exit status: 0 on success, 1 when a --jsonl line could not be read (that line gets an error object), 2 on bad usage.`;

const STAGES = new Set<string>(['connect', 'helo', 'mail', 'rcpt', 'data', 'end-of-data']);
const OUTCOMES = new Set<string>(['sent', 'deferred', 'bounced', 'expired']);

function toStage(v: unknown): SmtpStage | null {
  return typeof v === 'string' && STAGES.has(v) ? (v as SmtpStage) : null;
}

function toOutcome(v: unknown): Outcome | null {
  return typeof v === 'string' && OUTCOMES.has(v) ? (v as Outcome) : null;
}

function toReply(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*\d{3}\s*$/.test(v)) return Number(v.trim());
  return null;
}

function toText(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** The output object of --json and --jsonl. */
function toJson(c: Classification): Record<string, unknown> {
  return {
    class: c.class,
    cause: c.cause,
    hardBounce: c.hardBounce,
    action: c.action,
    replyCode: c.replyCode,
    enhancedStatus: c.enhancedStatus,
    provider: c.provider,
    providerHelp: providerHelp(c.provider, c.cause),
    blocklist: c.blocklist,
    reason: c.reason,
    conflict: c.conflict,
  };
}

const CLASS_NOTE: Readonly<Record<NonNullable<Classification['class']>, string>> = {
  success: 'delivered or accepted',
  temporary: 'the MTA keeps the message and retries',
  permanent: 'the MTA will not retry this message',
};

function formatClassification(c: Classification): string {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`${label.padEnd(18)}${value}`);
  row(
    'class:',
    c.class === null ? 'unknown (no code, outcome or known wording)' : `${c.class} (${CLASS_NOTE[c.class]})`,
  );
  if (c.cause !== null) {
    const info = causeInfo(c.cause);
    row('cause:', `${c.cause}: ${info.title}`);
    row('meaning:', info.meaning);
  }
  row('hard bounce:', c.hardBounce ? 'yes: the address is dead, suppress it' : 'no');
  row('reply code:', c.replyCode === null ? '-' : String(c.replyCode));
  row('enhanced status:', c.enhancedStatus ?? '-');
  const p = c.provider !== null ? providerInfo(c.provider) : undefined;
  row('provider:', p ? p.name : (c.provider ?? '-'));
  const help = providerHelp(c.provider, c.cause);
  if (help !== null) row('provider help:', help);
  row('blocklist:', showControls(c.blocklist ?? '-'));
  row(c.conflict !== null ? 'conflict:' : 'reason:', showControls(c.reason));
  row('action:', c.action);
  return `${lines.join('\n')}\n`;
}

async function write(out: NodeJS.WritableStream, s: string): Promise<void> {
  if (!out.write(s)) await once(out, 'drain');
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: string[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  return chunks.join('');
}

/** Turns one JSON line into classifier input (and the line's "id", echoed in the output), or an error message. */
function inputFromJsonLine(line: string): { input: ClassifyInput; id: string | number | undefined } | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return `not JSON: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object';
  const o = value as Record<string, unknown>;
  const diagnostic = o['diagnostic'] ?? o['text'];
  if (diagnostic !== undefined && diagnostic !== null && typeof diagnostic !== 'string') {
    return '"diagnostic" must be a string';
  }
  const id = o['id'];
  const input: ClassifyInput = {
    diagnostic: typeof diagnostic === 'string' ? diagnostic : null,
    replyCode: toReply(o['reply'] ?? o['replyCode']),
    enhancedStatus: toText(o['status'] ?? o['enhancedStatus']),
    dsn: toText(o['dsn']),
    stage: toStage(o['stage']),
    remoteHost: toText(o['relayHost'] ?? o['remoteHost']),
    outcome: toOutcome(o['outcome']),
    recipientDomain: toText(o['recipientDomain']),
    direction: o['direction'] === 'inbound' ? 'inbound' : null,
  };
  return { input, id: typeof id === 'string' || typeof id === 'number' ? id : undefined };
}

/** One answer line for one input line (an error object for a line that cannot be read). */
function answerLine(line: string, lineNo: number): { text: string; bad: boolean } {
  const parsed = inputFromJsonLine(line);
  if (typeof parsed === 'string') {
    return {
      text: `${JSON.stringify({ error: { code: 'bad-line', message: parsed, line: lineNo } })}\n`,
      bad: true,
    };
  }
  const out = toJson(classify(parsed.input));
  return {
    text: `${JSON.stringify(parsed.id === undefined ? out : { id: parsed.id, ...out })}\n`,
    bad: false,
  };
}

/**
 * Reads JSON lines in chunks and writes the answers of each chunk at once: per-line awaits and
 * writes would cost more than classifying.
 */
async function runJsonl(io: CliIo): Promise<number> {
  let lineNo = 0;
  let bad = 0;
  let rest = '';
  const decoder = new TextDecoder('utf-8');
  const handle = async (lines: string[]) => {
    let out = '';
    for (const raw of lines) {
      lineNo++;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() === '') continue;
      const a = answerLine(line, lineNo);
      if (a.bad) bad++;
      out += a.text;
    }
    if (out.length > 0) await write(io.stdout, out);
  };
  for await (const chunk of io.stdin) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    await handle(lines);
  }
  rest += decoder.decode();
  if (rest.length > 0) await handle([rest]);
  if (bad > 0) io.stderr.write(`bouncewatch classify: ${bad} line(s) could not be read\n`);
  return bad > 0 ? 1 : 0;
}

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'classify a bounce reply (or JSON lines on stdin)',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      json: { type: 'boolean' },
      jsonl: { type: 'boolean' },
      stage: { type: 'string' },
      host: { type: 'string' },
      reply: { type: 'string' },
      status: { type: 'string' },
    });
    if (values.jsonl === true) {
      if (positionals.length > 0) throw new UsageError('--jsonl reads stdin; do not give TEXT as well');
      return runJsonl(io);
    }
    if (values.stage !== undefined && !STAGES.has(values.stage)) {
      throw new UsageError(`--stage must be one of ${[...STAGES].join(', ')}`);
    }
    const reply = values.reply !== undefined ? toReply(values.reply) : null;
    if (values.reply !== undefined && (reply === null || reply < 200 || reply > 599)) {
      throw new UsageError(`--reply takes a 3-digit reply code, not '${values.reply}'`);
    }
    if (values.status !== undefined && !/^[245]\.\d{1,3}\.\d{1,3}$/.test(values.status)) {
      throw new UsageError(`--status takes an enhanced status like 5.7.1, not '${values.status}'`);
    }
    const text = positionals.length > 0 ? positionals.join(' ') : (await readAll(io.stdin)).trim();
    if (text === '' && reply === null && values.status === undefined) {
      throw new UsageError('give the reply text as an argument or on stdin');
    }
    const result = classify({
      diagnostic: text,
      replyCode: reply,
      enhancedStatus: values.status ?? null,
      stage: toStage(values.stage),
      remoteHost: values.host ?? null,
    });
    await write(
      io.stdout,
      values.json === true ? `${JSON.stringify(toJson(result), null, 2)}\n` : formatClassification(result),
    );
    return 0;
  },
};
