import type { DataSource } from 'typeorm';
import { appendBatch } from './append';
import type { EventStoreError } from './errors';
import { query, readAll, readPage, readStream, streamVersion } from './read';
import {
  START,
  type AppendRequest,
  type AppendResult,
  type Cursor,
  type EventFilter,
  type ExpectedVersion,
  type NewEvent,
  type StoredEvent,
} from './types';

export {
  START,
  type AppendRequest,
  type AppendResult,
  type Cursor,
  type EventFilter,
  type ExpectedVersion,
  type NewEvent,
  type StoredEvent,
} from './types';
export { EVENT_COLUMNS, hashedFieldsOf, toStoredEvent } from './rows';

/**
 * The append-only log in PostgreSQL. Appends lock only their own stream's head row, so appends to
 * different streams run in parallel; each stream carries its own SHA-256 chain.
 *
 * A facade: appends live in append.ts (validation in prepare.ts), reads in read.ts, row mapping in rows.ts.
 */
export class PostgresEventStore {
  constructor(
    private readonly db: DataSource,
    private readonly options: { readonly pageSize?: number } = {},
  ) {}

  private get pageSize(): number {
    return this.options.pageSize ?? 500;
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedVersion: ExpectedVersion; readonly idempotencyKey: string },
  ): Promise<AppendResult> {
    const [outcome] = await this.appendBatch([{ streamId, events, ...options }]);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Appends to many streams in one transaction (two statements however many streams), for bulk
   * work such as a campaign launch. Each request keeps its own expected version and idempotency
   * key; a request refused for its version or key comes back as that error in its place and the
   * others are written. Malformed requests throw before anything is written.
   */
  appendBatch(requests: readonly AppendRequest[]): Promise<(AppendResult | EventStoreError)[]> {
    return appendBatch(this.db, requests);
  }

  /** The stream's current version (0 when it has no events). */
  streamVersion(streamId: string): Promise<number> {
    return streamVersion(this.db, streamId);
  }

  /** A stream's events in version order, a page at a time (bounded memory for any length). */
  readStream(
    streamId: string,
    range: { readonly fromVersion?: number; readonly toVersion?: number } = {},
  ): AsyncGenerator<StoredEvent> {
    return readStream(this.db, this.pageSize, streamId, range);
  }

  async readStreamToArray(streamId: string): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    for await (const e of this.readStream(streamId)) out.push(e);
    return out;
  }

  /**
   * One page of the whole log after `cursor`, in commit-safe order: only rows of transactions older
   * than the oldest one still open, ordered by (transaction, position). A transaction that commits
   * late can never land behind a cursor that has already passed it.
   */
  readPage(cursor: Cursor, limit = this.pageSize): Promise<{ events: StoredEvent[]; cursor: Cursor }> {
    return readPage(this.db, cursor, limit);
  }

  /** Every committed event from a cursor to the current end, page by page. */
  readAll(from: Cursor = START): AsyncGenerator<StoredEvent> {
    return readAll(this.db, this.pageSize, from);
  }

  /** Events by jurisdiction, party, type and business-time period, in position order. */
  query(filter: EventFilter): AsyncGenerator<StoredEvent> {
    return query(this.db, this.pageSize, filter);
  }
}
