/** `bouncewatch follow`: follow live logs through rotation and store every outcome. */

import type { Command } from '../command.js';

export const followCommand: Command = {
  name: 'follow',
  summary: 'follow live logs through rotation and store every outcome',
  help: `Usage: bouncewatch follow [--db FILE] [--journal] [--from-end] LOG...`,
  run(_argv, io) {
    io.stderr.write('bouncewatch follow: not built yet\n');
    return Promise.resolve(2);
  },
};
