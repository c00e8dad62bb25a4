import type { DataSource } from 'typeorm';
import { normaliseInstant } from './prepare';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';
import { categoryOf } from './streams';
import { START, type Cursor, type EventFilter, type StoredEvent } from './types';

// Reads: a stream in version order, the whole log in commit-safe (tx_id, position) order for
// catch-up, and queries by jurisdiction, party, type and business time. All page through the log.

/** The stream's current version (0 when it has no events). */
export async function streamVersion(db: DataSource, streamId: string): Promise<number> {
  categoryOf(streamId);
  const rows = await db.query<
    {
      version: number;
    }[]
  >(`SELECT version FROM event_streams WHERE stream_id = $1`, [streamId]);
  return rows[0]?.version ?? 0;
}

/** A stream's events in version order, a page at a time (bounded memory for any length). */
export async function* readStream(
  db: DataSource,
  pageSize: number,
  streamId: string,
  range: { readonly fromVersion?: number; readonly toVersion?: number } = {},
): AsyncGenerator<StoredEvent> {
  categoryOf(streamId);
  let after = (range.fromVersion ?? 1) - 1;
  const to = range.toVersion ?? 2 ** 31 - 1;
  for (;;) {
    const rows = await db.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version > $2 AND stream_version <= $3
          ORDER BY stream_version LIMIT $4`,
      [streamId, after, to, pageSize],
    );
    for (const r of rows) yield toStoredEvent(r);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.stream_version;
  }
}

/**
 * One page of the whole log after `cursor`, in commit-safe order: only rows of transactions older
 * than the oldest one still open, ordered by (transaction, position). A transaction that commits
 * late can never land behind a cursor that has already passed it.
 */
export async function readPage(
  db: DataSource,
  cursor: Cursor,
  limit: number,
): Promise<{ events: StoredEvent[]; cursor: Cursor }> {
  const rows = await db.query<EventRow[]>(
    `SELECT ${EVENT_COLUMNS} FROM events
        WHERE (tx_id, position) > ($1::xid8, $2::bigint)
          AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY events.tx_id, events.position -- the columns, not the text alias of tx_id
        LIMIT $3`,
    [cursor.txId, cursor.position, limit],
  );
  const events = rows.map(toStoredEvent);
  const last = events[events.length - 1];
  return { events, cursor: last ? { txId: last.txId, position: last.position } : cursor };
}

/** Every committed event from a cursor to the current end, page by page. */
export async function* readAll(db: DataSource, pageSize: number, from: Cursor = START): AsyncGenerator<StoredEvent> {
  let cursor = from;
  for (;;) {
    const page = await readPage(db, cursor, pageSize);
    for (const e of page.events) yield e;
    if (page.events.length < pageSize) return;
    cursor = page.cursor;
  }
}

/** Events by jurisdiction, party, type and business-time period, in position order. */
export async function* query(db: DataSource, pageSize: number, filter: EventFilter): AsyncGenerator<StoredEvent> {
  const where: string[] = ['position > $1'];
  const params: unknown[] = [0];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.jurisdiction !== undefined) add('jurisdiction = ?', filter.jurisdiction);
  if (filter.partyId !== undefined) add('party_id = ?', filter.partyId);
  if (filter.streamId !== undefined) add('stream_id = ?', filter.streamId);
  if (filter.types !== undefined) add('event_type = ANY(?::text[])', filter.types);
  if (filter.from !== undefined) add('business_time >= ?', normaliseInstant(filter.from, 'from'));
  if (filter.to !== undefined) add('business_time < ?', normaliseInstant(filter.to, 'to'));
  params.push(pageSize);
  const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT $${params.length}`;
  for (;;) {
    const rows = await db.query<EventRow[]>(sql, params);
    for (const r of rows) yield toStoredEvent(r);
    if (rows.length < pageSize) return;
    params[0] = rows[rows.length - 1]!.position;
  }
}
