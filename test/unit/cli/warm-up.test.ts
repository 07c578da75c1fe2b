// The warm-up after start asks every call the overview waits for, so the first visitor's draw finds them memoised.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { warmUp } from '../../../server/cli/commands/warm-up.js';
import { parseConfig } from '../../../server/config.js';
import { silentLogger } from '../../../server/log.js';

describe('warm-up', () => {
  it("asks the overview's calls, flows and the host table included, for 30 days and 24 hours", async () => {
    const asked: string[] = [];
    const server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await warmUp(`http://127.0.0.1:${port}/`, parseConfig({}), silentLogger());
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const paths = new Set(asked.map((u) => u.split('?')[0]));
    for (const call of ['flows', 'summary', 'series', 'causes', 'domains', 'providers', 'host-table']) {
      expect(paths).toContain(`/api/v1/${call}`);
    }
    expect(asked).toContain('/api/v1/flows?range=30d');
    expect(asked).toContain('/api/v1/host-table?range=24h');
  });
});
