/** One pino JSON line as a person reads it on a terminal: `06:00:01 WARN  [ingest] message  key=value`. */

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '90' },
  20: { name: 'DEBUG', color: '90' },
  30: { name: 'INFO', color: '36' },
  40: { name: 'WARN', color: '33' },
  50: { name: 'ERROR', color: '31' },
  60: { name: 'FATAL', color: '31;1' },
};

/** Fields every line has, shown in the line's head or not at all. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'app', 'component', 'v']);

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A value as `key=value`: plain words stay bare, anything else is quoted as JSON, so control characters and
 * terminal escapes written by strangers into a log line reach the terminal as visible `\u001b`, never as codes.
 */
function value(v: unknown): string {
  if (typeof v === 'string') return /^[\w.:/@+,-]{1,200}$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'object' && 'message' in v && typeof v.message === 'string')
    return JSON.stringify(v.message);
  return JSON.stringify(v);
}

export function formatPrettyLine(line: string, options: { color: boolean }): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = LEVELS[Number(entry['level'])] ?? { name: String(entry['level']), color: '0' };
  const t = new Date(typeof entry['time'] === 'number' ? entry['time'] : Date.now());
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  const name = level.name.padEnd(5);
  const shownLevel = options.color ? `\u001b[${level.color}m${name}\u001b[0m` : name;
  const component = typeof entry['component'] === 'string' ? `[${entry['component']}] ` : '';
  const msg = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  const fields = Object.entries(entry)
    .filter(([k]) => !HEAD.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  const safeMsg = JSON.stringify(msg).slice(1, -1).replace(/\\"/g, '"');
  return `${time} ${shownLevel} ${component}${safeMsg}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}\n`;
}
