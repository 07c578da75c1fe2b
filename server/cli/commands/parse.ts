/** `bouncewatch parse`: parse log lines on stdin into one JSON record per line. */

import type { Command } from '../command.js';

export const parseCommand: Command = {
  name: 'parse',
  summary: 'parse log lines on stdin into one JSON record per line',
  help: `Usage: bouncewatch parse [--year YYYY]`,
  run(_argv, io) {
    io.stderr.write('bouncewatch parse: not built yet\n');
    return Promise.resolve(2);
  },
};
