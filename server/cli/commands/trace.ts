/** `bouncewatch trace`: every logged line of the messages a search finds, one life each, through content filters. */

import { createSqliteReader } from '../../../db/sqlite/reader.js';
import type { MessageTrace, TraceEvent, TraceResponse } from '../../http/contract/trace.js';
import { classifierKnowledge } from '../../services/knowledge.js';
import { createTraceService } from '../../services/trace.js';
import { showControls } from '../../visible-text.js';
import { dbPath, intFlag, parseFlags, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { openReportDb } from './report.js';

const BY = ['auto', 'recipient', 'sender', 'queue-id', 'message-id'] as const;
type By = (typeof BY)[number];

const HELP = `Usage: bouncewatch trace [--db FILE] [--by FIELD] [--host HOST] [--limit N] [--json] QUERY

Shows every logged line of the messages a search finds, oldest first. A message handed to a
content filter (amavis, a milter proxy) and queued again under a new queue id is shown as one
life across its queue ids: the hand-over, then what became of the re-queued copy.

  QUERY         an address, a queue id or a Message-ID (<...>)
  --by FIELD    ${BY.join(', ')} (default auto: guessed from the text)
  --host HOST   only this host's messages
  --limit N     messages to show (default 20, at most 50)
  --json        the answer of /api/v1/trace instead of text
  --db FILE     database (default ./bouncewatch.db or BOUNCEWATCH_DB)`;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function eventLine(e: TraceEvent, severalIds: boolean): string {
  const result = e.hop ? 'handed to filter' : e.outcome === 'sent' ? 'delivered' : e.outcome;
  const code = e.enhancedStatus ?? e.dsn ?? (e.replyCode === null ? '' : String(e.replyCode));
  const where = e.relayHost ? `relay ${e.relayHost}${e.relayIp ? `[${e.relayIp}]` : ''}` : '';
  const parts = [
    iso(e.ts),
    severalIds ? (e.queueId ?? '-') : null,
    result.padEnd(16),
    e.recipient ?? '-',
    where,
    code,
    e.diagnostic,
    e.causeTitle !== null && e.class !== 'success' ? `(${e.causeTitle})` : '',
  ];
  return `  ${showControls(parts.filter((p) => p !== null && p !== '').join('  '))}`;
}

function messageText(m: MessageTrace): string {
  const several = m.queueIds.length > 1;
  const head = [
    `${several ? 'queue ids' : 'queue id'} ${m.queueIds.join(' -> ')} on ${m.host || '-'}`,
    m.sender !== null ? `from <${m.sender}>` : null,
    m.messageId !== null ? `message-id ${m.messageId}` : null,
  ].filter((p) => p !== null);
  const lines = [showControls(head.join(', '))];
  if (several)
    lines.push('  one message: handed to a content filter and queued again; only the last outcome counts');
  for (const e of m.events) lines.push(eventLine(e, several));
  for (const r of m.recipients) lines.push(showControls(`  final: ${r.recipient} ${r.finalOutcome}`));
  return lines.join('\n');
}

function responseText(r: TraceResponse): string {
  if (r.messages.length === 0 && r.rejects.length === 0) return 'No message matches this search.\n';
  const blocks = r.messages.map(messageText);
  if (r.rejects.length > 0)
    blocks.push(['rejected before queueing:', ...r.rejects.map((e) => eventLine(e, true))].join('\n'));
  const shown =
    r.offset + r.scanned < r.total
      ? `\n(${r.scanned} of ${r.total} queue ids shown; --limit shows more)`
      : '';
  return `${blocks.join('\n\n')}\n${shown}${shown ? '\n' : ''}`;
}

export const traceCommand: Command = {
  name: 'trace',
  summary: 'show every line of a message, one life through content filters',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      db: { type: 'string' },
      by: { type: 'string' },
      host: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('give one address, queue id or Message-ID to trace');
    const q = positionals[0]!.trim();
    if (q === '' || /[\s\p{Cc}]/u.test(q))
      throw new UsageError('the query must be a single word without spaces');
    const by = values.by ?? 'auto';
    if (!(BY as readonly string[]).includes(by))
      throw new UsageError(`--by takes ${BY.join(', ')}, not '${by}'`);
    const limit = intFlag(values.limit, 'limit', 1, 50) ?? 20;
    const db = openReportDb(dbPath(values.db, io.env));
    try {
      const reader = createSqliteReader(db, { now: () => Date.now() });
      const answer = await createTraceService({ reader, knowledge: classifierKnowledge() }).trace({
        q,
        by: by as By,
        host: values.host ?? null,
        limit,
        offset: 0,
      });
      io.stdout.write(values.json ? `${JSON.stringify(answer, null, 2)}\n` : responseText(answer));
      return 0;
    } finally {
      db.close();
    }
  },
};
