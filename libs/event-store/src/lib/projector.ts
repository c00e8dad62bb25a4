import type { DataSource, QueryRunner } from 'typeorm';
import { START, type Cursor, type PostgresEventStore, type StoredEvent } from './event-store';
import {
  CREDENTIAL_SET_VIEW,
  credentialSetViewRow,
  PARTY_VIEW,
  partyViewRow,
  upsertStatement,
  type FoldedStream,
  type ReadModelTable,
} from './read-models';
import { categoryOf } from './streams';

const PROJECTION = 'current-state';

/**
 * Keeps the current-state read models (one row per credential set, one per party) by folding the
 * log with the domain's `evolve`. Each page is applied in one transaction together with the
 * checkpoint, and an event at or below a row's version is skipped, so re-running is harmless and
 * a crash resumes where the last committed page ended.
 */
export class Projector {
  constructor(
    private readonly db: DataSource,
    private readonly store: PostgresEventStore,
    private readonly pageSize = 1000,
  ) {}

  /** Applies everything committed so far; returns the number of events applied. */
  async catchUp(): Promise<number> {
    let applied = 0;
    for (;;) {
      const n = await this.applyNextPage();
      applied += n.applied;
      if (n.read < this.pageSize) return applied;
    }
  }

  /** Drops the read models and folds the whole log again. */
  async rebuild(): Promise<number> {
    await this.db.transaction(async (m) => {
      await m.query(`TRUNCATE ${CREDENTIAL_SET_VIEW.name}, ${PARTY_VIEW.name}`);
      await m.query(`DELETE FROM projection_checkpoints WHERE projection = $1`, [PROJECTION]);
    });
    return this.catchUp();
  }

  private async applyNextPage(): Promise<{ read: number; applied: number }> {
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction('READ COMMITTED');
      await q.query(
        `INSERT INTO projection_checkpoints (projection, tx_id, position) VALUES ($1, '0', 0) ON CONFLICT (projection) DO NOTHING`,
        [PROJECTION],
      );
      // One projector at a time: the checkpoint row is the lock.
      const [cp] = (await q.query(
        `SELECT tx_id::text AS tx_id, position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE`,
        [PROJECTION],
      )) as { tx_id: string; position: string }[];
      const cursor: Cursor = cp ? { txId: cp.tx_id, position: Number(cp.position) } : START;
      const page = await this.store.readPage(cursor, this.pageSize);
      const applied = await this.apply(q, page.events);
      await q.query(
        `UPDATE projection_checkpoints SET tx_id = $2::xid8, position = $3, updated_at = clock_timestamp() WHERE projection = $1`,
        [PROJECTION, page.cursor.txId, page.cursor.position],
      );
      await q.commitTransaction();
      return { read: page.events.length, applied };
    } catch (e) {
      if (q.isTransactionActive) await q.rollbackTransaction();
      throw e;
    } finally {
      await q.release();
    }
  }

  private async apply(q: QueryRunner, events: readonly StoredEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const streamIds = [...new Set(events.map((e) => e.streamId))];
    const current = new Map<string, { version: number; state: unknown }>();
    for (const table of [CREDENTIAL_SET_VIEW.name, PARTY_VIEW.name]) {
      const rows = (await q.query(`SELECT stream_id, version, state FROM ${table} WHERE stream_id = ANY($1)`, [
        streamIds,
      ])) as { stream_id: string; version: number; state: unknown }[];
      for (const r of rows) current.set(r.stream_id, { version: r.version, state: r.state });
    }
    const changed = new Map<string, FoldedStream>();
    let applied = 0;
    for (const e of events) {
      const category = categoryOf(e.streamId);
      const row = changed.get(e.streamId) ?? current.get(e.streamId) ?? { version: 0, state: category.initial };
      if (e.streamVersion <= row.version) continue;
      // The log's commit-safe order is by transaction, and a transaction's id is taken before it
      // waits for the stream lock: within one stream a later version can come first. Its
      // predecessors are committed (they held the lock before it), so read them from the stream.
      const gap =
        e.streamVersion > row.version + 1
          ? await collect(
              this.store.readStream(e.streamId, { fromVersion: row.version + 1, toVersion: e.streamVersion - 1 }),
            )
          : [];
      let state = row.state;
      for (const x of [...gap, e])
        state = category.evolve(state, { type: x.type, at: x.at, actor: x.actor, data: x.data });
      changed.set(e.streamId, { version: e.streamVersion, state, last: e });
      applied += gap.length + 1;
    }
    // One statement per read model for the whole page, not one per stream.
    const entries = [...changed.entries()];
    await upsert(
      q,
      CREDENTIAL_SET_VIEW,
      entries.filter(([id]) => id.startsWith('credential-set-')).map(([id, c]) => credentialSetViewRow(id, c)),
    );
    await upsert(
      q,
      PARTY_VIEW,
      entries.filter(([id]) => id.startsWith('party-')).map(([id, c]) => partyViewRow(id, c)),
    );
    return applied;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function upsert<Row>(q: QueryRunner, table: ReadModelTable<Row>, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(upsertStatement(table), [JSON.stringify(rows)]);
}
