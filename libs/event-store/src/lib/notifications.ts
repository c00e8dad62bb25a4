import { Client } from 'pg';

/** The channel every append notifies at commit (one notification per transaction). */
export const APPEND_CHANNEL = 'certflow_events';

export interface AppendSignals {
  /** Resolves when an append has committed since the last call, or after `ms` at the latest. */
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Wakes readers (the projector) as soon as an append commits, instead of polling: LISTEN on a
 * connection of its own, reconnecting after a database outage. Polling stays as the fallback, so a
 * lost notification only delays a reader by the timeout.
 */
export function appendSignals(url: string): AppendSignals {
  let pending = false;
  let wake: (() => void) | null = null;
  let client: Client | null = null;
  let closed = false;
  const notify = () => {
    pending = true;
    wake?.();
  };
  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new Client({ connectionString: url });
    c.on('notification', notify);
    c.on('error', () => undefined);
    c.on('end', () => {
      if (client === c) client = null;
      if (!closed) setTimeout(() => void connect(), 1000);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${APPEND_CHANNEL}`);
      client = c;
      notify(); // anything committed while we were away
    } catch {
      await c.end().catch(() => undefined);
    }
  };
  void connect();
  return {
    async wait(ms) {
      if (!pending) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = null;
      }
      pending = false;
    },
    async close() {
      closed = true;
      wake?.();
      await client?.end().catch(() => undefined);
    },
  };
}
