/** `bouncewatch check-config`: validate the configuration without starting. */

import { accessSync, constants, existsSync } from 'node:fs';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { decideOwnDomains, ownDomains } from '../../services/own-domains.js';
import { UsageError, openDatabaseOrFail, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { checkBind, type Config } from '../../config.js';
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

/**
 * Which domains are ours and why (the config's say, then what the database learned from the log), and the
 * content filters on other hosts: what decides inbound against outbound and a hop against a delivery.
 */
async function flowsText(config: Config): Promise<string> {
  const lines = ['', 'Own domains (mail to them is inbound):'];
  let learnedFrom: string | null = null;
  let own = decideOwnDomains([], { ownDomains: config.ownDomains });
  if (config.store === undefined && existsSync(config.db)) {
    try {
      const db = openDatabaseOrFail({ file: config.db, readonly: true });
      try {
        const reader = createSqliteReader(db, { now: () => Date.now() });
        own = await ownDomains(reader, { ownDomains: config.ownDomains });
        learnedFrom = config.db;
      } finally {
        db.close();
      }
    } catch {
      // An unreadable, older or damaged database: the config's own say is still worth showing.
      learnedFrom = '';
    }
  }
  for (const d of own.list) lines.push(`  ${showControls(d.domain)}: ${d.why}`);
  if (own.list.length === 0) lines.push('  none named in the config (ownDomains)');
  for (const d of config.ownDomains.filter((x) => x.startsWith('!')))
    lines.push(`  ${showControls(d.slice(1))}: not ours (the config says so, whatever the log shows)`);
  if (learnedFrom === null)
    lines.push('  (no database yet: domains learned from the log are added once logs are read)');
  else if (learnedFrom === '')
    lines.push(
      `  (could not read ${showControls(config.db)}: check-db says why; the domains it learned are not shown)`,
    );
  else lines.push(`  (with what ${showControls(learnedFrom)} learned from the log)`);
  lines.push('Internal relays (a hand-over to one that queues the message again is a hop, not a delivery):');
  if (config.internalRelays.length === 0)
    lines.push('  none: only filters on loopback addresses count as hops');
  for (const r of config.internalRelays) lines.push(`  ${showControls(r)}`);
  return `${lines.join('\n')}\n`;
}

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
    io.stdout.write(await flowsText(config));
    return 0;
  },
};
