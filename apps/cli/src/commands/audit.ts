import {
  createCheckpoint,
  createDataSource,
  PostgresEventStore,
  Projector,
  stateAsOf,
  verifyLog,
  type AsOfBasis,
  type EventFilter,
} from '@certflow/event-store';
import type { DataSource } from 'typeorm';
import { checkpointSigner, databaseUrl, resolveInstant } from '../config';

async function withStore<T>(work: (db: DataSource, store: PostgresEventStore) => Promise<T>): Promise<T> {
  const db = await createDataSource(databaseUrl(), { poolSize: 4 }).initialize();
  try {
    return await work(db, new PostgresEventStore(db));
  } finally {
    await db.destroy();
  }
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** `audit history <stream>`: every event of one stream, one JSON line each. */
export const history = (streamId: string) =>
  withStore(async (_db, store) => {
    for await (const e of store.readStream(streamId)) print(e);
    return 0;
  });

/** `audit as-of <stream> <instant> [--basis recorded|business]`; the instant may be `rehearsal+1d`. */
export const asOf = (streamId: string, instant: string, basis: AsOfBasis) =>
  withStore(async (_db, store) => {
    print(await stateAsOf(store, streamId, resolveInstant(instant), basis));
    return 0;
  });

/** `audit export [--jurisdiction j] [--party p] [--type t] [--from t] [--to t]`: JSON lines. */
export const exportEvents = (filter: EventFilter) =>
  withStore(async (_db, store) => {
    for await (const e of store.query(filter)) print(e);
    return 0;
  });

/** `audit verify [--stream id]`: exits 2 when anything was altered. */
export const verify = (streamId?: string) =>
  withStore(async (db) => {
    const report = await verifyLog(db, checkpointSigner(), streamId ? { streamId } : {});
    print(report);
    return report.ok ? 0 : 2;
  });

export const checkpoint = () =>
  withStore(async (db) => {
    print(await createCheckpoint(db, checkpointSigner()));
    return 0;
  });

/** `projections catch-up` / `projections rebuild`. */
export const projections = (mode: 'catch-up' | 'rebuild') =>
  withStore(async (db, store) => {
    const projector = new Projector(db, store);
    print({ mode, applied: mode === 'rebuild' ? await projector.rebuild() : await projector.catchUp() });
    return 0;
  });
