/** Logs that `follow` and `run` can follow: regular files (or paths where one appears later), said plainly otherwise. */

import { fileKind, notARegularFile } from '../ingest/file-kind.js';
import { CliError } from './args.js';

/** Throws for a named log that is a directory, a FIFO, a device or a socket: following it would wait for ever. */
export function checkFollowable(paths: readonly string[]): void {
  for (const path of paths) {
    const kind = fileKind(path);
    if (kind === 'file' || kind === 'missing') continue;
    throw new CliError(
      kind === 'fifo'
        ? `${notARegularFile(path, kind)}: following reads a log file again from where it stopped; a FIFO is read once, by 'bouncewatch ingest ${path}'`
        : `${notARegularFile(path, kind)}: name a log file to follow`,
    );
  }
}
