import {
  createCheckpoint,
  createDataSource,
  poolSettingsFromEnv,
  PostgresEventStore,
  Projector,
  stateAsOf,
  verifyLog,
  type AsOfBasis,
  type EventFilter,
} from '@certflow/event-store';
import type { DataSource } from 'typeorm';
import { checkpointSigner, databaseUrl, instantArg } from '../config';
import { CliError, EXIT } from '../exit';

async function withStore<T>(work: (db: DataSource, store: PostgresEventStore) => Promise<T>): Promise<T> {
  const db = await createDataSource(databaseUrl(), { ...poolSettingsFromEnv(), poolSize: 4 }).initialize();
  try {
    return await work(db, new PostgresEventStore(db));
  } finally {
    await db.destroy();
  }
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** A stream nobody wrote is an error (exit 66), not an empty answer. */
async function requireStream(store: PostgresEventStore, streamId: string): Promise<void> {
  if ((await store.streamVersion(streamId)) > 0) return;
  // A head missing while its events remain is tampering, which `audit verify` reports: still a stream.
  for await (const _ of store.readStream(streamId)) return;
  throw noSuchStream(streamId);
}

const noSuchStream = (streamId: string) => new CliError(EXIT.NO_SUCH_STREAM, `stream ${streamId} does not exist`);

/** `audit history <stream>`: every event of one stream, one JSON line each. */
export const history = (streamId: string) =>
  withStore(async (_db, store) => {
    await requireStream(store, streamId);
    for await (const e of store.readStream(streamId)) print(e);
    return EXIT.OK;
  });

/** `audit as-of <stream> <instant> [--basis recorded|business]`; the instant may be `rehearsal+1d`. */
export const asOf = (streamId: string, instant: string, basis: AsOfBasis) =>
  withStore(async (_db, store) => {
    const at = instantArg('instant', instant);
    await requireStream(store, streamId);
    print(await stateAsOf(store, streamId, at, basis));
    return EXIT.OK;
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
    // Nothing checked and nothing missing: the stream asked for was never written.
    if (streamId !== undefined && report.ok && report.streamsChecked === 0) throw noSuchStream(streamId);
    print(report);
    return report.ok ? EXIT.OK : EXIT.TAMPERED;
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
