/** `bouncewatch check-config`: validate the configuration without starting. */

import type { Command } from '../command.js';

export const checkConfigCommand: Command = {
  name: 'check-config',
  summary: 'validate the configuration without starting',
  help: `Usage: bouncewatch check-config [--config FILE]`,
  run(_argv, io) {
    io.stderr.write('bouncewatch check-config: not built yet\n');
    return Promise.resolve(2);
  },
};
