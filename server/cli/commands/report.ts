/** `bouncewatch report`: write a deliverability report (html, md, json, csv). */

import type { Command } from '../command.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a deliverability report (html, md, json, csv)',
  help: `Usage: bouncewatch report [--db FILE] [--week YYYY-Www | --from T --to T | --all] [--format html|md|json|csv] [--out FILE]`,
  run(_argv, io) {
    io.stderr.write('bouncewatch report: not built yet\n');
    return Promise.resolve(2);
  },
};
