/** A DNS server on loopback answering A queries from a table (NXDOMAIN otherwise), so no test query leaves the machine. */

import { createSocket, type RemoteInfo } from 'node:dgram';

export interface StubDns {
  /** `127.0.0.1:PORT`, for Resolver.setServers. */
  address: string;
  /** Names asked so far, in order. */
  queries: string[];
  /** Replaces the answers: name (no trailing dot, any case) to A records. */
  setAnswers(answers: Record<string, string[]>): void;
  close(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  for (let len = msg[at] ?? 0; len > 0; len = msg[at] ?? 0) {
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('latin1'));
    at += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

function answer(query: Buffer, table: ReadonlyMap<string, string[]>): { reply: Buffer; name: string } {
  const { name, end } = readName(query, 12);
  const question = query.subarray(12, end + 4);
  const qtype = query.readUInt16BE(end);
  const records = qtype === 1 ? (table.get(name) ?? null) : null;
  const found = table.has(name);
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // QR, opcode 0, AA, RD copied; RA; RCODE 3 (NXDOMAIN) when the name is unknown.
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (found ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records?.length ?? 0, 6);
  const answers = (records ?? []).map((ip) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(1, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(4, 10);
    ip.split('.').forEach((o, i) => rr.writeUInt8(Number(o), 12 + i));
    return rr;
  });
  return { reply: Buffer.concat([header, question, ...answers]), name };
}

export async function startStubDns(initial: Record<string, string[]> = {}): Promise<StubDns> {
  const socket = createSocket('udp4');
  let table = new Map(Object.entries(initial).map(([k, v]) => [k.toLowerCase(), v]));
  const queries: string[] = [];
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    const { reply, name } = answer(msg, table);
    queries.push(name);
    socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    queries,
    setAnswers(answers) {
      table = new Map(Object.entries(answers).map(([k, v]) => [k.toLowerCase(), v]));
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
