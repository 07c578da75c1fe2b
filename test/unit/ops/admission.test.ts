// The admission gate: API work starts one request per turn of the event loop, at most N at once, and a full queue is a 503.
import { EventEmitter } from 'node:events';
import { setImmediate as turn } from 'node:timers/promises';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { createAdmission } from '../../../server/http/admission.js';
import { HttpError } from '../../../server/http/errors.js';

function fakeRequest() {
  const res = new EventEmitter();
  return {
    req: { destroyed: false } as unknown as Request,
    res: res as unknown as Response,
    finish: () => res.emit('finish'),
  };
}

describe('admission', () => {
  it('starts one waiting request per turn of the event loop, never more than the concurrency', async () => {
    const gate = createAdmission({ concurrency: 2, maxQueue: 10 });
    const calls = Array.from({ length: 4 }, () => fakeRequest());
    const begun: number[] = [];
    calls.forEach((c, i) => gate(c.req, c.res, () => begun.push(i)));
    expect(begun).toEqual([]);
    await turn();
    expect(begun).toEqual([0]);
    await turn();
    expect(begun).toEqual([0, 1]);
    await turn();
    expect(begun).toEqual([0, 1]); // both places taken
    calls[0]!.finish();
    await turn();
    await turn();
    expect(begun).toEqual([0, 1, 2]);
    calls[1]!.finish();
    calls[1]!.finish(); // a second event for the same answer frees nothing more
    await turn();
    await turn();
    expect(begun).toEqual([0, 1, 2, 3]);
  });

  it('answers 503 with Retry-After once the queue is full, and skips a client that went away', async () => {
    const gate = createAdmission({ concurrency: 1, maxQueue: 2 });
    const outcomes: unknown[] = [];
    const calls = Array.from({ length: 3 }, () => fakeRequest());
    calls.forEach((c, i) => gate(c.req, c.res, (err?: unknown) => outcomes.push(err ?? i)));
    const refused = outcomes[0];
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 503, code: 'server-busy', headers: { 'Retry-After': '1' } });
    (calls[1]!.req as { destroyed: boolean }).destroyed = true;
    await turn();
    await turn();
    await turn();
    expect(outcomes.slice(1)).toEqual([0]);
  });
});
