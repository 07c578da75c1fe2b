/** File identity for checkpoints: a hash of the first bytes (decompressed for .gz), independent of name and inode. */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** Bytes hashed once a file is at least this long; shorter files get a shorter fingerprint, upgraded later. */
export const FINGERPRINT_BYTES = 1024;

export function fingerprintOf(bytes: Buffer): string {
  return `${bytes.length}:${createHash('sha1').update(bytes).digest('hex')}`;
}

/** The number of bytes a fingerprint covers. */
export function fingerprintLength(fingerprint: string): number {
  return Number(fingerprint.slice(0, fingerprint.indexOf(':')));
}

export const isGzipPath = (path: string): boolean => path.endsWith('.gz');

/** Reads up to `length` bytes from the start of a plain file. */
export async function readHead(path: string, length = FINGERPRINT_BYTES): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/** Reads up to `length` decompressed bytes from the start of a .gz file (a damaged file yields what it could). */
export function readGzipHead(path: string, length = FINGERPRINT_BYTES): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    const input = createReadStream(path, { highWaterMark: 16 * 1024 });
    const gunzip = createGunzip();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      input.destroy();
      gunzip.destroy();
      resolve(Buffer.concat(parts).subarray(0, length));
    };
    gunzip.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      got += chunk.length;
      if (got >= length) finish();
    });
    gunzip.on('end', finish);
    gunzip.on('error', finish);
    input.on('error', finish);
    input.pipe(gunzip);
  });
}
