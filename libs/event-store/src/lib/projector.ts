import { allowedSets, type CredentialSetState, type PartyState } from '@certflow/domain';
import type { DataSource, QueryRunner } from 'typeorm';
import { START, type Cursor, type PostgresEventStore, type StoredEvent } from './event-store';
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
      await m.query(`TRUNCATE credential_set_view, party_view`);
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
    for (const table of ['credential_set_view', 'party_view']) {
      const rows = (await q.query(`SELECT stream_id, version, state FROM ${table} WHERE stream_id = ANY($1)`, [
        streamIds,
      ])) as { stream_id: string; version: number; state: unknown }[];
      for (const r of rows) current.set(r.stream_id, { version: r.version, state: r.state });
    }
    const changed = new Map<string, { version: number; state: unknown; last: StoredEvent }>();
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
    await upsertSets(
      q,
      entries.filter(([id]) => id.startsWith('credential-set-')).map(([id, c]) => setRow(id, c)),
    );
    await upsertParties(
      q,
      entries.filter(([id]) => id.startsWith('party-')).map(([id, c]) => partyRow(id, c)),
    );
    return applied;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

interface Changed {
  readonly version: number;
  readonly state: unknown;
  readonly last: StoredEvent;
}

function setRow(streamId: string, { version, state, last }: Changed) {
  const s = state as CredentialSetState;
  return {
    stream_id: streamId,
    set_id: s.setId ?? streamId.slice('credential-set-'.length),
    party_id: s.party?.partyId ?? null,
    party_type: s.party?.partyType ?? null,
    jurisdiction: s.party?.jurisdiction ?? null,
    status: s.status,
    valid_until: s.validUntil,
    bound_platforms: s.boundPlatforms,
    blocked_platforms: s.blockedPlatforms,
    version,
    state: s,
    last_position: last.position,
    updated_at: last.recordedAt,
  };
}

function partyRow(streamId: string, { version, state, last }: Changed) {
  const s = state as PartyState;
  return {
    stream_id: streamId,
    party_id: s.party?.partyId ?? streamId.slice('party-'.length),
    party_type: s.party?.partyType ?? null,
    name: s.party?.name ?? null,
    jurisdiction: s.party?.jurisdiction ?? null,
    open_sets: s.openSets.length,
    allowed_sets: allowedSets(s),
    version,
    state: s,
    last_position: last.position,
    updated_at: last.recordedAt,
  };
}

async function upsertSets(q: QueryRunner, rows: ReturnType<typeof setRow>[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO credential_set_view (stream_id, set_id, party_id, party_type, jurisdiction, status, valid_until,
                                      bound_platforms, blocked_platforms, version, state, last_position, updated_at)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, set_id text, party_id text, party_type text,
       jurisdiction text, status text, valid_until timestamptz, bound_platforms text[], blocked_platforms text[],
       version integer, state jsonb, last_position bigint, updated_at timestamptz)
     ON CONFLICT (stream_id) DO UPDATE SET set_id = EXCLUDED.set_id, party_id = EXCLUDED.party_id,
       party_type = EXCLUDED.party_type, jurisdiction = EXCLUDED.jurisdiction, status = EXCLUDED.status,
       valid_until = EXCLUDED.valid_until, bound_platforms = EXCLUDED.bound_platforms,
       blocked_platforms = EXCLUDED.blocked_platforms, version = EXCLUDED.version, state = EXCLUDED.state,
       last_position = EXCLUDED.last_position, updated_at = EXCLUDED.updated_at
     WHERE credential_set_view.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}

async function upsertParties(q: QueryRunner, rows: ReturnType<typeof partyRow>[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO party_view (stream_id, party_id, party_type, name, jurisdiction, open_sets, allowed_sets, version, state,
                             last_position, updated_at)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, party_id text, party_type text, name text,
       jurisdiction text, open_sets integer, allowed_sets integer, version integer, state jsonb, last_position bigint,
       updated_at timestamptz)
     ON CONFLICT (stream_id) DO UPDATE SET party_id = EXCLUDED.party_id, party_type = EXCLUDED.party_type,
       name = EXCLUDED.name, jurisdiction = EXCLUDED.jurisdiction, open_sets = EXCLUDED.open_sets,
       allowed_sets = EXCLUDED.allowed_sets, version = EXCLUDED.version, state = EXCLUDED.state,
       last_position = EXCLUDED.last_position, updated_at = EXCLUDED.updated_at
     WHERE party_view.version < EXCLUDED.version`,
    [JSON.stringify(rows)],
  );
}
