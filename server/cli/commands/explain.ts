/** `bouncewatch explain`: explain a reply code or enhanced status (550, 4.7.1, 5.7.26). */

import type { Command } from '../command.js';

export const explainCommand: Command = {
  name: 'explain',
  summary: 'explain a reply code or enhanced status (550, 4.7.1, 5.7.26)',
  help: `Usage: bouncewatch explain CODE`,
  run(_argv, io) {
    io.stderr.write('bouncewatch explain: not built yet\n');
    return Promise.resolve(2);
  },
};
