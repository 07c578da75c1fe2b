/** Log text for terminals and text formats: control characters written out (`\x1b`), so no stranger's bytes steer a terminal. */

/**
 * C0 controls and DEL, C1 controls (a terminal may read 0x9b as CSI), and the bidirectional overrides and
 * isolates that reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function spell(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character shown as an escape (`\x1b`, `\x0a`, `\u202e`); one scan, linear in its length. */
export function showControls(text: string): string {
  return text.replace(CONTROLS, spell);
}
