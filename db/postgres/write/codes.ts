/** The fixed small codes of outcomes, classes and MTAs (migrations 1 and 3 write the same tables in SQL). */

export const OUTCOME_CODE: Record<string, number> = {
  sent: 1,
  deferred: 2,
  bounced: 3,
  expired: 4,
  rejected: 5,
  hop: 6,
  wait: 7,
  discarded: 8,
  probe: 9,
  note: 10,
  notification: 11,
  'notice-sent': 12,
  'notice-deferred': 13,
  'notice-bounced': 14,
  'notice-expired': 15,
};
export const CLASS_CODE: Record<string, number> = { success: 1, temporary: 2, permanent: 3 };
export const MTA_CODE: Record<string, number> = { postfix: 1, exim: 2 };

/** The code of a fixed name; a name outside the list is a programming error, not bad input. */
export function codeOf(codes: Record<string, number>, name: string): number {
  const code = codes[name];
  if (code === undefined) throw new Error(`no code for '${name}'`);
  return code;
}
/** Severities of the MTA's own lines (migration 5). */
export const SEVERITY_CODE: Record<string, number> = { warning: 1, fatal: 2, panic: 3 };
