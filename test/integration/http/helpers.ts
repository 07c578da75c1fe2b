/** The app on a temp database with real migrations, rows written through the batch writer, served on port 0. */

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../db/sqlite/open.js';
import type { AttemptRow, RejectRow, UnparsedSample } from '../../../db/store/stored-rows.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import { parseConfig } from '../../../server/config.js';
import { createEventBus, type EventBus } from '../../../server/events.js';
import { createServer, type ServerDeps } from '../../../server/compose.js';
import type { StreamLimit } from '../../../server/http/stream-limit.js';
import { silentLogger, type Logger } from '../../../server/log.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** A fixed "now" (Friday 2026-11-20 12:30 UTC) so every expected number is exact. */
export const NOW = Date.UTC(2026, 10, 20, 12, 30);

let seq = 0;

export function attempt(over: Partial<AttemptRow> & Pick<AttemptRow, 'ts'>): AttemptRow {
  seq++;
  const recipient = over.recipient ?? `user${seq}@${over.recipientDomain ?? 'gmail.com'}`;
  return {
    host: 'mx1.sender.example',
    mta: 'postfix',
    program: 'postfix/smtp',
    queueId: `Q${String(seq).padStart(9, '0')}`,
    recipient,
    origRecipient: null,
    recipientDomain: recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase(),
    sender: 'news@sender.example',
    senderDomain: 'sender.example',
    outcome: 'sent',
    relayHost: 'gmail-smtp-in.l.google.com',
    relayIp: '198.51.100.7',
    port: 25,
    stage: null,
    replyCode: 250,
    enhancedStatus: '2.0.0',
    dsn: '2.0.0',
    diagnostic: '250 2.0.0 OK queued',
    delay: 1.2,
    transport: 'smtp',
    class: 'success',
    cause: null,
    provider: 'google',
    blocklist: null,
    hardBounce: false,
    classConflict: null,
    messageId: null,
    ...over,
  };
}

export function reject(over: Partial<RejectRow> & Pick<RejectRow, 'ts'>): RejectRow {
  return {
    host: 'mx1.sender.example',
    mta: 'postfix',
    program: 'postfix/smtpd',
    queueId: null,
    action: 'reject',
    clientHost: 'unknown',
    clientIp: '203.0.113.9',
    helo: 'client.example',
    sender: 'someone@client.example',
    recipient: 'nobody@sender.example',
    recipientDomain: 'sender.example',
    stage: 'rcpt',
    replyCode: 550,
    enhancedStatus: '5.1.1',
    diagnostic:
      '550 5.1.1 <nobody@sender.example>: Recipient address rejected: User unknown in local recipient table',
    class: 'permanent',
    cause: 'recipient-unknown',
    provider: null,
    ...over,
  };
}

export interface TestServer {
  url: string;
  db: Db;
  bus: EventBus;
  write(attempts: AttemptRow[], rejects?: RejectRow[], unparsed?: UnparsedSample[]): void;
  get(
    path: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: unknown; text: string }>;
  /** A request with any method and any headers (fetch cannot set Host), over node:http. */
  request(
    path: string,
    options?: { method?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: unknown }>;
  close(): Promise<void>;
}

/** One request over node:http, which sends the Host and X-Forwarded-For headers it is given. */
export function rawRequest(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let body: unknown = null;
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function startTestServer(
  options: {
    config?: unknown;
    rateLimit?: ServerDeps['rateLimit'];
    log?: Logger;
    streams?: StreamLimit;
    readThread?: ServerDeps['readThread'];
    /** Extra files of the dashboard's folder, by name. */
    webFiles?: Record<string, string>;
  } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bw-http-'));
  const webRoot = join(dir, 'web');
  mkdirSync(webRoot);
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>bouncewatch</title>');
  for (const [name, text] of Object.entries(options.webFiles ?? {})) writeFileSync(join(webRoot, name), text);
  const db = openDatabase({ file: join(dir, 'test.db') });
  const writer = createBatchWriter(db);
  const bus = createEventBus();
  const backend = createServer({
    db,
    bus,
    log: options.log ?? silentLogger(),
    config: parseConfig(options.config ?? {}),
    webRoot,
    now: () => NOW,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.streams ? { streams: options.streams } : {}),
    ...(options.readThread !== undefined ? { readThread: options.readThread } : {}),
  });
  const { app } = backend;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db,
    bus,
    write(attempts, rejects = [], unparsed = []) {
      const batch = { ...emptyBatch(), attempts, rejects, unparsedSamples: unparsed };
      for (const s of unparsed)
        batch.unparsedCounts.set(s.program, (batch.unparsedCounts.get(s.program) ?? 0) + 1);
      writer.write(batch);
    },
    async get(path, headers = {}) {
      const res = await fetch(url + path, { headers });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: res.status, headers: res.headers, body, text };
    },
    request: (path, init) => rawRequest(url, path, init),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      backend.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
