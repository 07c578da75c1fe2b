/** `bouncewatch check-config`: validate the configuration without starting. */

import { accessSync, constants, existsSync } from 'node:fs';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { decideOwnDomains, ownDomains } from '../../services/own-domains.js';
import { UsageError, openDatabaseOrFail, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { checkBind, type Config } from '../../config.js';
import { maskConfig, tryLoadConfig } from '../../config-load.js';
import { showControls } from '../../visible-text.js';

const help = `Usage: bouncewatch check-config [--config FILE] [--db FILE] [--port N] [--bind ADDR] [--json] [LOG...]

Validates the configuration exactly as 'run' would build it (defaults, then the config file,
then BOUNCEWATCH_* environment variables, then flags) without starting anything.

Prints "config OK", the effective configuration with secrets masked, the own domains with why
each is ours and the internal relays; or one line per mistake and exits 1. Logs that cannot be
read are reported as warnings.

Options:
  --config FILE   JSON or YAML config file (default: $BOUNCEWATCH_CONFIG)
  --db FILE       database file
  --port N        HTTP port
  --bind ADDR     address to listen on
  --json          print one JSON object instead: {ok, file, config, ownDomains, notOurs,
                  learnedFrom, internalRelays, warnings}, or {ok: false, problems} (exit 1)
`;

/** Which domains are ours and why, and the content filters on other hosts, as check-config shows them. */
interface Flows {
  ownDomains: { domain: string; why: string; source: 'config' | 'learned' }[];
  /** Domains the config says are never ours ("!domain"). */
  notOurs: string[];
  /** The database the learned domains come from: whether it was read, and why not. */
  learnedFrom:
    { db: string; read: true } | { db: string; read: false; reason: 'no database yet' | 'unreadable' };
  internalRelays: string[];
}

/**
 * The config's say, then what the database learned from the log, and the content filters on other hosts: what
 * decides inbound against outbound and a hop against a delivery.
 */
async function flowsOf(config: Config): Promise<Flows> {
  let learnedFrom: Flows['learnedFrom'] = { db: config.db, read: false, reason: 'no database yet' };
  let own = decideOwnDomains([], { ownDomains: config.ownDomains });
  if (config.store === undefined && existsSync(config.db)) {
    try {
      const db = openDatabaseOrFail({ file: config.db, readonly: true });
      try {
        const reader = createSqliteReader(db, { now: () => Date.now() });
        own = await ownDomains(reader, { ownDomains: config.ownDomains });
        learnedFrom = { db: config.db, read: true };
      } finally {
        db.close();
      }
    } catch {
      // An unreadable, older or damaged database: the config's own say is still worth showing.
      learnedFrom = { db: config.db, read: false, reason: 'unreadable' };
    }
  }
  return {
    ownDomains: own.list.map((d) => ({ domain: d.domain, why: d.why, source: d.source })),
    notOurs: config.ownDomains.filter((x) => x.startsWith('!')).map((d) => d.slice(1)),
    learnedFrom,
    internalRelays: [...config.internalRelays],
  };
}

function flowsText(flows: Flows): string {
  const lines = ['', 'Own domains (mail to them is inbound):'];
  for (const d of flows.ownDomains) lines.push(`  ${showControls(d.domain)}: ${d.why}`);
  if (flows.ownDomains.length === 0) lines.push('  none named in the config (ownDomains)');
  for (const d of flows.notOurs)
    lines.push(`  ${showControls(d)}: not ours (the config says so, whatever the log shows)`);
  const from = flows.learnedFrom;
  if (from.read) lines.push(`  (with what ${showControls(from.db)} learned from the log)`);
  else if (from.reason === 'no database yet')
    lines.push('  (no database yet: domains learned from the log are added once logs are read)');
  else
    lines.push(
      `  (could not read ${showControls(from.db)}: check-db says why; the domains it learned are not shown)`,
    );
  lines.push('Internal relays (a hand-over to one that queues the message again is a hop, not a delivery):');
  if (flows.internalRelays.length === 0)
    lines.push('  none: only filters on loopback addresses count as hops');
  for (const r of flows.internalRelays) lines.push(`  ${showControls(r)}`);
  return `${lines.join('\n')}\n`;
}

const printJson = (io: { stdout: { write(s: string): unknown } }, value: unknown) =>
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

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
      json: { type: 'boolean' },
    });
    const json = values.json === true;
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
      if (json)
        printJson(io, { ok: false, problems: problems.map((p) => ({ path: p.path, message: p.message })) });
      return 1;
    }
    const { config, file } = result;
    const warnings: string[] = [];
    for (const [i, log] of config.logs.entries()) {
      try {
        accessSync(log, constants.R_OK);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        warnings.push(`logs.${i}: cannot read ${log} (${code})`);
        io.stderr.write(`warning: logs.${i}: cannot read ${showControls(log)} (${code})\n`);
      }
    }
    const flows = await flowsOf(config);
    if (json) {
      printJson(io, { ok: true, file, config: maskConfig(config), ...flows, warnings });
      return 0;
    }
    io.stdout.write(`config OK${file === null ? ' (no config file)' : ` (${file})`}\n`);
    io.stdout.write(`${JSON.stringify(maskConfig(config), null, 2)}\n`);
    io.stdout.write(flowsText(flows));
    return 0;
  },
};
