/** `bouncewatch classify`: classify a bounce reply (or JSON lines on stdin). */

import type { Command } from '../command.js';

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'classify a bounce reply (or JSON lines on stdin)',
  help: `Usage: bouncewatch classify [--json] [--jsonl] [TEXT]`,
  run(_argv, io) {
    io.stderr.write('bouncewatch classify: not built yet\n');
    return Promise.resolve(2);
  },
};
