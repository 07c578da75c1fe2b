/** Writes generated log lines to a file in 64 KiB chunks, waiting whenever the stream asks for it. */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  let chunk = '';
  for (const line of lines) {
    chunk += line + '\n';
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
