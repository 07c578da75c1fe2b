/** `bouncewatch run`: follow logs and serve the dashboard (what npm start runs). */

import type { Command } from '../command.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'follow logs and serve the dashboard (what npm start runs)',
  help: `Usage: bouncewatch run [--db FILE] [--port N] [--bind ADDR] [LOG...]`,
  run(_argv, io) {
    io.stderr.write('bouncewatch run: not built yet\n');
    return Promise.resolve(2);
  },
};
