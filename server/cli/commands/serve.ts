/** `bouncewatch serve`: serve the dashboard and API only. */

import type { Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the dashboard and API only',
  help: `Usage: bouncewatch serve [--db FILE] [--port N] [--bind ADDR]`,
  run(_argv, io) {
    io.stderr.write('bouncewatch serve: not built yet\n');
    return Promise.resolve(2);
  },
};
