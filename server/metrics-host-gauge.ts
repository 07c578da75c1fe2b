/** A gauge with one series per host, set afresh at each scrape from what `read` gives (hosts that left drop out). */

import { Gauge, type Registry } from 'prom-client';

export function hostGauge(
  registers: Registry[],
  name: string,
  help: string,
  read: () => Promise<Array<readonly [host: string, value: number]>>,
): void {
  const gauge: Gauge<'host'> = new Gauge({
    name,
    help,
    labelNames: ['host'] as const,
    registers,
    async collect() {
      const values = await read();
      gauge.reset();
      for (const [host, value] of values) gauge.set({ host }, value);
    },
  });
}
