/** `bouncewatch check-config`: validate the configuration without starting. */

import { accessSync, constants } from 'node:fs';
import { UsageError, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { checkBind } from '../../config.js';
import { maskConfig, tryLoadConfig } from '../../config-load.js';
import { showControls } from '../../visible-text.js';

const help = `Usage: bouncewatch check-config [--config FILE] [--db FILE] [--port N] [--bind ADDR] [LOG...]

Validates the configuration exactly as 'run' would build it (defaults, then the config file,
then BOUNCEWATCH_* environment variables, then flags) without starting anything.

Prints "config OK" and the effective configuration with secrets masked, or one line per
mistake and exits 1. Logs that cannot be read are reported as warnings.

Options:
  --config FILE   JSON or YAML config file (default: $BOUNCEWATCH_CONFIG)
  --db FILE       database file
  --port N        HTTP port
  --bind ADDR     address to listen on
`;

export const checkConfigCommand: Command = {
  name: 'check-config',
  summary: 'validate the configuration without starting',
  help,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      config: { type: 'string' },
      db: { type: 'string' },
      port: { type: 'string' },
      bind: { type: 'string' },
    });
    if (values.port !== undefined && !/^\d+$/.test(values.port)) {
      throw new UsageError(`--port takes a whole number, not '${values.port}'`);
    }
    const result = tryLoadConfig({
      file: values.config,
      env: io.env,
      flags: { db: values.db, port: values.port, bind: values.bind, logs: positionals },
    });
    const bind = result.ok ? await checkBind(result.config) : null;
    const problems = !result.ok ? result.problems : bind?.problem ? [bind.problem] : [];
    if (!result.ok || problems.length > 0) {
      io.stderr.write(`bouncewatch check-config: ${problems.length} problem(s) in the configuration\n`);
      for (const p of problems) io.stderr.write(`  ${p.path}: ${showControls(p.message)}\n`);
      return 1;
    }
    const { config, file } = result;
    for (const [i, log] of config.logs.entries()) {
      try {
        accessSync(log, constants.R_OK);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        io.stderr.write(`warning: logs.${i}: cannot read ${showControls(log)} (${code})\n`);
      }
    }
    io.stdout.write(`config OK${file === null ? ' (no config file)' : ` (${file})`}\n`);
    io.stdout.write(`${JSON.stringify(maskConfig(config), null, 2)}\n`);
    return 0;
  },
};
