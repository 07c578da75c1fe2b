// The front door: a probe of /healthz goes in at once; other requests wait in line, one let in per turn of the event
// loop and none on a turn that took a new connection, so a probe behind a burst of connections is not kept waiting.
import { EventEmitter } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createFrontDoor, isRequestFor } from '../../../server/http/front-door.js';

function fakeRequest(url: string) {
  const res = new EventEmitter();
  return {
    req: { method: 'GET', url, destroyed: false } as unknown as IncomingMessage,
    res: res as unknown as ServerResponse,
    finish: () => res.emit('finish'),
  };
}

const options = {
  priority: isRequestFor('/healthz'),
  longLived: isRequestFor('/api/v1/events'),
};

describe('front door', () => {
  it('lets the probe in at once, the rest one per turn and at most inFlight at once', async () => {
    const seen: string[] = [];
    const door = createFrontDoor((req) => seen.push(req.url!), { ...options, inFlight: 2 });
    const calls = ['/a', '/b', '/c'].map(fakeRequest);
    for (const c of calls) door.listener(c.req, c.res);
    door.listener(fakeRequest('/healthz?x=1').req, fakeRequest('/').res);
    expect(seen).toEqual(['/healthz?x=1']);
    await turn();
    expect(seen).toEqual(['/healthz?x=1', '/a']);
    await turn();
    await turn();
    expect(seen).toEqual(['/healthz?x=1', '/a', '/b']); // both places taken
    calls[0]!.finish();
    calls[0]!.finish(); // a second event for the same answer frees nothing more
    await turn();
    await turn();
    expect(seen).toEqual(['/healthz?x=1', '/a', '/b', '/c']);
  });

  it('lets nothing in on a turn that took a new connection, for at most maxSkips turns in a row', async () => {
    const seen: string[] = [];
    const door = createFrontDoor((req) => seen.push(req.url!), { ...options, maxSkips: 3 });
    const server = new EventEmitter();
    door.watch(server);
    door.listener(fakeRequest('/a').req, fakeRequest('/a').res);
    for (let i = 0; i < 3; i++) {
      server.emit('connection');
      await turn();
      expect(seen).toEqual([]);
    }
    server.emit('connection');
    await turn();
    expect(seen).toEqual(['/a']); // three turns skipped in a row: work goes on
    door.listener(fakeRequest('/b').req, fakeRequest('/b').res);
    await turn();
    expect(seen).toEqual(['/a', '/b']); // no new connection
  });

  it('skips a client that went away while waiting, and lets event streams in without taking a place', async () => {
    const seen: string[] = [];
    const door = createFrontDoor((req) => seen.push(req.url!), { ...options, inFlight: 1 });
    const gone = fakeRequest('/gone');
    door.listener(fakeRequest('/a').req, fakeRequest('/a').res);
    door.listener(gone.req, gone.res);
    (gone.req as { destroyed: boolean }).destroyed = true;
    door.listener(fakeRequest('/api/v1/events').req, fakeRequest('/api/v1/events').res);
    door.listener(fakeRequest('/api/v1/events').req, fakeRequest('/api/v1/events').res);
    door.listener(fakeRequest('/b').req, fakeRequest('/b').res);
    for (let i = 0; i < 6; i++) await turn();
    expect(seen).toEqual(['/a', '/api/v1/events', '/api/v1/events']); // /a holds the one place
  });
});

describe('front door on a real server', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('answers a probe that connects behind a burst of busy requests before their work is done', async () => {
    const handled: string[] = [];
    const app = (req: IncomingMessage, res: ServerResponse) => {
      handled.push(req.url!);
      if (req.url !== '/healthz') {
        // Work that holds the thread, as a query on the event loop does.
        const until = performance.now() + 4;
        while (performance.now() < until);
      }
      res.end('ok');
    };
    const door = createFrontDoor(app, options);
    server = createServer(door.listener);
    door.watch(server);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const get = (path: string) =>
      new Promise<void>((resolve, reject) => {
        const req = request({ port, host: '127.0.0.1', path, agent: false }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end();
      });
    const burst = Array.from({ length: 60 }, (_, i) => get(`/work/${i}`));
    const probe = get('/healthz');
    await Promise.all([...burst, probe]);
    // Without the door each request is worked on as soon as it is read, and the probe's comes after all of them.
    expect(handled.indexOf('/healthz')).toBeLessThan(10);
  });
});
