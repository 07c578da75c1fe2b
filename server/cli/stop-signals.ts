/** SIGINT and SIGTERM as a stop request: the command commits what it read, then exits 130 or 143 (design). */

/** The exit status after a stop by each signal: 128 plus its number, as a shell reports it. */
export function exitStatusOf(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : 143;
}

export interface StopSignals {
  /** Aborted on the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** 130 or 143 once stopped by a signal, else `otherwise`. */
  exitStatus(otherwise: number): number;
  dispose(): void;
}

export function watchStopSignals(onStop?: (signal: NodeJS.Signals) => void): StopSignals {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const on = (signal: NodeJS.Signals) => {
    received ??= signal;
    onStop?.(signal);
    controller.abort();
  };
  process.once('SIGINT', on);
  process.once('SIGTERM', on);
  return {
    signal: controller.signal,
    exitStatus: (otherwise) => (received ? exitStatusOf(received) : otherwise),
    dispose() {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}
