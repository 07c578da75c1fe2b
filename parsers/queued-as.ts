/** The queue id a receiving MTA names in its success reply, as Postfix and Exim log it. */

function isAlnumAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Whether s[start, end) has the shape of an Exim message id (6-6-2, or 6-11-4 since 4.97). */
function isEximIdShape(s: string, start: number, end: number): boolean {
  const n = end - start;
  if (n !== 16 && n !== 23) return false;
  const second = n === 16 ? 6 : 11;
  for (let i = start; i < end; i++) {
    const k = i - start;
    const dash = k === 6 || k === 7 + second;
    if (dash ? s.charCodeAt(i) !== 45 : !isAlnumAt(s, i)) return false;
  }
  return true;
}

/**
 * The queue id the receiving side gave in a success reply: the last `queued as ID` (Postfix, also behind a
 * content filter: `250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ID`), else an Exim
 * `id=ID`. Null when the reply names none.
 */
export function findQueuedAs(reply: string): string | null {
  const at = reply.lastIndexOf('queued as ');
  if (at >= 0) {
    let end = at + 10;
    while (isAlnumAt(reply, end)) end++;
    return end - at - 10 >= 4 ? reply.slice(at + 10, end) : null;
  }
  let id = reply.indexOf('id=');
  while (id >= 0) {
    let end = id + 3;
    while (isAlnumAt(reply, end) || reply.charCodeAt(end) === 45) end++;
    if ((id === 0 || reply.charCodeAt(id - 1) === 32) && isEximIdShape(reply, id + 3, end)) {
      return reply.slice(id + 3, end);
    }
    id = reply.indexOf('id=', id + 3);
  }
  return null;
}
