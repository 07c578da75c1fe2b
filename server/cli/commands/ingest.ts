/** `bouncewatch ingest`: import whole log files (plain or .gz) or stdin. */

import type { Command } from '../command.js';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'import whole log files (plain or .gz) or stdin',
  help: `Usage: bouncewatch ingest [--db FILE] [--year YYYY] LOG... | -`,
  run(_argv, io) {
    io.stderr.write('bouncewatch ingest: not built yet\n');
    return Promise.resolve(2);
  },
};
