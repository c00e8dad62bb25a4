import { createHash } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { canonicalJson, eventHash, genesisHash, sha256 } from './canonical';
import { EventStoreError, WrongExpectedVersionError } from './errors';
import { categoryOf, validateEvent, type StreamTags } from './streams';

/** An event to append: the domain event (type, business time, actor, data) plus its lineage. */
export interface NewEvent {
  readonly type: string;
  readonly data: unknown;
  /** Business time: when the step took effect. */
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly schemaVersion?: number;
  readonly causationId?: string | null;
  readonly correlationId?: string | null;
}

export interface StoredEvent {
  readonly position: number;
  readonly txId: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly actor: { readonly id: string; readonly role: string };
  readonly causationId: string | null;
  readonly correlationId: string | null;
  /** Business time, ISO-8601 UTC. */
  readonly at: string;
  /** When the store recorded it, ISO-8601 UTC. */
  readonly recordedAt: string;
  readonly idempotencyKey: string;
  readonly partyId: string | null;
  readonly jurisdiction: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** `'no-stream'` = the stream must not exist yet; `'any'` = no check; a number = the current version. */
export type ExpectedVersion = number | 'no-stream' | 'any';

export interface AppendResult {
  readonly streamId: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly positions: readonly number[];
  readonly recordedAt: string;
  /** True when this append was a retry of an earlier one with the same key: nothing was written. */
  readonly duplicate: boolean;
}

/** A reader's place in the log: the writing transaction and the position within it. */
export interface Cursor {
  readonly txId: string;
  readonly position: number;
}

export const START: Cursor = { txId: '0', position: 0 };

export interface EventFilter {
  readonly jurisdiction?: string;
  readonly partyId?: string;
  readonly types?: readonly string[];
  readonly streamId?: string;
  /** Business-time period, inclusive of `from`, exclusive of `to`. */
  readonly from?: string;
  readonly to?: string;
}

// Times and hashes leave PostgreSQL as the text the log uses (ISO-8601 UTC with milliseconds,
// lowercase hex): no Date or Buffer made and turned back into text per event, which was a third
// of a full-log replay.
export const EVENT_COLUMNS = `position, tx_id::text AS tx_id, event_id, stream_id, stream_version, event_type, schema_version, payload,
  actor_id, actor_role, causation_id, correlation_id,
  to_char(business_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS business_time,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  idempotency_key, party_id, jurisdiction, encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash`;

interface EventRow {
  position: string;
  tx_id: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  schema_version: number;
  payload: unknown;
  actor_id: string;
  actor_role: string;
  causation_id: string | null;
  correlation_id: string | null;
  business_time: string;
  recorded_at: string;
  idempotency_key: string;
  party_id: string | null;
  jurisdiction: string | null;
  prev_hash: string;
  hash: string;
}

export function toStoredEvent(r: EventRow): StoredEvent {
  return {
    position: Number(r.position),
    txId: r.tx_id,
    eventId: r.event_id,
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    type: r.event_type,
    schemaVersion: r.schema_version,
    data: r.payload,
    actor: { id: r.actor_id, role: r.actor_role },
    causationId: r.causation_id,
    correlationId: r.correlation_id,
    at: r.business_time,
    recordedAt: r.recorded_at,
    idempotencyKey: r.idempotency_key,
    partyId: r.party_id,
    jurisdiction: r.jurisdiction,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The fields an event's hash covers, from a stored event (used by the verifier too). */
export function hashedFieldsOf(e: StoredEvent) {
  return {
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    payload: e.data,
    actor: e.actor,
    causationId: e.causationId,
    correlationId: e.correlationId,
    businessTime: e.at,
    recordedAt: e.recordedAt,
    idempotencyKey: e.idempotencyKey,
  };
}

/** A deterministic UUID from a name, so a retried append gets the same event ids. */
function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function normaliseInstant(value: string, path: string): string {
  const ms = typeof value === 'string' && /(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new EventStoreError('MALFORMED_EVENT', `${path}: an ISO-8601 instant with offset`, { path });
  return new Date(ms).toISOString();
}

/**
 * The append-only log in PostgreSQL. Appends lock only their own stream's head row, so appends to
 * different streams run in parallel; each stream carries its own SHA-256 chain.
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
  async appendBatch(requests: readonly AppendRequest[]): Promise<(AppendResult | EventStoreError)[]> {
    const prepared = requests.map((r) => prepareRequest(r));
    const streams = new Set<string>();
    for (const [i, r] of prepared.entries()) {
      if (streams.has(r.streamId))
        throw new EventStoreError('MALFORMED_EVENT', `requests[${i}].streamId: one request per stream in a batch`, {
          path: `requests[${i}].streamId`,
        });
      streams.add(r.streamId);
    }
    if (prepared.length === 0) return [];
    try {
      return await this.inTransaction((q) => this.appendLocked(q, prepared));
    } catch (e) {
      // First appends with one key racing on different streams: the losers' keys now exist; once
      // more, and the lookup sees them.
      if (
        (e as { code?: string }).code === '23505' &&
        /idempotency/.test((e as { constraint?: string }).constraint ?? '')
      ) {
        return await this.inTransaction((q) => this.appendLocked(q, prepared));
      }
      throw e;
    }
  }

  private async appendLocked(
    q: QueryRunner,
    requests: readonly PreparedRequest[],
  ): Promise<(AppendResult | EventStoreError)[]> {
    // One round trip: create or lock every stream head (ON CONFLICT DO UPDATE locks existing rows;
    // in stream order, so two batches cannot deadlock) and look up every idempotency key.
    const order = [...requests.keys()].sort((a, b) =>
      requests[a]!.streamId < requests[b]!.streamId ? -1 : requests[a]!.streamId > requests[b]!.streamId ? 1 : 0,
    );
    const heads = (await q.query(
      `WITH req AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[], $5::int[])
           AS r(stream_id, category, genesis, key, ord)
       ),
       head AS (
         INSERT INTO event_streams AS s (stream_id, category, version, head_hash)
         SELECT stream_id, category, 0, genesis FROM req ORDER BY ord
         ON CONFLICT (stream_id) DO UPDATE SET version = s.version
         RETURNING s.stream_id, s.version, s.head_hash, s.party_id, s.jurisdiction
       )
       SELECT req.ord, head.version, head.head_hash, head.party_id, head.jurisdiction,
              date_trunc('milliseconds', clock_timestamp()) AS now, i.request_hash AS prior_hash, i.result AS prior_result
         FROM req JOIN head USING (stream_id) LEFT JOIN event_idempotency i ON i.idempotency_key = req.key
        ORDER BY req.ord`,
      [
        order.map((i) => requests[i]!.streamId),
        order.map((i) => requests[i]!.category),
        order.map((i) => genesisHash(requests[i]!.streamId)),
        order.map((i) => requests[i]!.key),
        order.map((_, n) => n),
      ],
    )) as {
      ord: number;
      version: number;
      head_hash: Buffer;
      party_id: string | null;
      jurisdiction: string | null;
      now: Date;
      prior_hash: Buffer | null;
      prior_result: AppendResult | null;
    }[];
    if (heads.length !== requests.length) throw new Error('stream heads vanished during an append');

    const outcomes = new Array<AppendResult | EventStoreError>(requests.length);
    const recordedAt = heads[0]!.now.toISOString();
    const writes: { index: number; request: PreparedRequest; rows: HashedRow[]; from: number; to: number }[] = [];
    const heads2: {
      streamId: string;
      version: number;
      hash: Buffer;
      partyId: string | null;
      jurisdiction: string | null;
    }[] = [];
    for (const head of heads) {
      const index = order[head.ord]!;
      const r = requests[index]!;
      if (head.prior_hash && head.prior_result) {
        outcomes[index] = replayOrError(
          { request_hash: head.prior_hash, result: head.prior_result },
          r.requestHash,
          r.key,
        );
        continue;
      }
      const actual = head.version;
      const wanted = r.expectedVersion === 'no-stream' ? 0 : r.expectedVersion;
      if (wanted !== 'any' && actual !== wanted) {
        // That statement's snapshot predates the lock wait: a concurrent first attempt of this very
        // request may have committed meanwhile. Look again before calling it a conflict.
        const prior = await lookupIdempotency(q.manager, r.key);
        outcomes[index] = prior
          ? replayOrError(prior, r.requestHash, r.key)
          : new WrongExpectedVersionError(r.streamId, wanted, actual);
        continue;
      }
      const tags = r.events.find((p) => p.tags)?.tags ?? null;
      const partyId = head.party_id ?? tags?.partyId ?? null;
      const jurisdiction = head.jurisdiction ?? tags?.jurisdiction ?? null;
      let prev: Buffer = head.head_hash;
      const rows = r.events.map((p, i) => {
        const streamVersion = actual + i + 1;
        const hash = eventHash(
          {
            streamId: r.streamId,
            streamVersion,
            eventId: p.eventId,
            type: p.type,
            schemaVersion: p.schemaVersion,
            payload: p.data,
            actor: p.actor,
            causationId: p.causationId,
            correlationId: p.correlationId,
            businessTime: p.businessTime,
            recordedAt,
            idempotencyKey: p.idempotencyKey,
          },
          prev,
        );
        const row = { ...p, streamId: r.streamId, partyId, jurisdiction, streamVersion, prevHash: prev, hash };
        prev = hash;
        return row;
      });
      writes.push({ index, request: r, rows, from: actual + 1, to: actual + rows.length });
      heads2.push({ streamId: r.streamId, version: actual + rows.length, hash: prev, partyId, jurisdiction });
    }
    if (writes.length === 0) return outcomes;

    // One round trip: the events, the new stream heads and the idempotency records, all or nothing.
    const rows = writes.flatMap((w) => w.rows);
    const written = (await q.query(
      `WITH ins AS (
         INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, payload, actor_id, actor_role,
                             causation_id, correlation_id, business_time, recorded_at, idempotency_key, party_id,
                             jurisdiction, prev_hash, hash)
         SELECT e.event_id, e.stream_id, e.stream_version, e.event_type, e.schema_version, e.payload, e.actor_id, e.actor_role,
                e.causation_id, e.correlation_id, e.business_time, $1, e.idempotency_key, e.party_id, e.jurisdiction,
                e.prev_hash, e.hash
           FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[], $7::jsonb[], $8::text[], $9::text[],
                       $10::uuid[], $11::uuid[], $12::timestamptz[], $13::text[], $14::text[], $15::text[], $16::bytea[],
                       $17::bytea[])
             AS e(event_id, stream_id, stream_version, event_type, schema_version, payload, actor_id, actor_role,
                  causation_id, correlation_id, business_time, idempotency_key, party_id, jurisdiction, prev_hash, hash)
          ORDER BY e.stream_id, e.stream_version
         RETURNING stream_id, position
       ),
       heads AS (
         UPDATE event_streams s SET version = h.version, head_hash = h.hash, party_id = h.party_id,
                                    jurisdiction = h.jurisdiction, updated_at = $1
           FROM unnest($18::text[], $19::int[], $20::bytea[], $21::text[], $22::text[])
             AS h(stream_id, version, hash, party_id, jurisdiction)
          WHERE s.stream_id = h.stream_id
       ),
       positions AS (SELECT stream_id, jsonb_agg(position ORDER BY position) AS positions FROM ins GROUP BY stream_id),
       results AS (
         SELECT r.key, r.stream_id, r.request_hash,
                jsonb_build_object('streamId', r.stream_id, 'fromVersion', r.from_version, 'toVersion', r.to_version,
                                   'positions', p.positions, 'recordedAt', $28::text, 'duplicate', false) AS result
           FROM unnest($23::text[], $24::text[], $25::int[], $26::int[], $27::bytea[])
             AS r(key, stream_id, from_version, to_version, request_hash)
           JOIN positions p USING (stream_id)
       ),
       idem AS (
         INSERT INTO event_idempotency (idempotency_key, stream_id, request_hash, result)
         SELECT key, stream_id, request_hash, result FROM results
       )
       -- Readers LISTENing (the projector) wake at commit; PostgreSQL sends one per transaction.
       SELECT key, result, (SELECT pg_notify('certflow_events', '')) IS NULL AS notified FROM results`,
      [
        recordedAt,
        rows.map((r) => r.eventId),
        rows.map((r) => r.streamId),
        rows.map((r) => r.streamVersion),
        rows.map((r) => r.type),
        rows.map((r) => r.schemaVersion),
        rows.map((r) => JSON.stringify(r.data)),
        rows.map((r) => r.actor.id),
        rows.map((r) => r.actor.role),
        rows.map((r) => r.causationId),
        rows.map((r) => r.correlationId),
        rows.map((r) => r.businessTime),
        rows.map((r) => r.idempotencyKey),
        rows.map((r) => r.partyId),
        rows.map((r) => r.jurisdiction),
        rows.map((r) => r.prevHash),
        rows.map((r) => r.hash),
        heads2.map((h) => h.streamId),
        heads2.map((h) => h.version),
        heads2.map((h) => h.hash),
        heads2.map((h) => h.partyId),
        heads2.map((h) => h.jurisdiction),
        writes.map((w) => w.request.key),
        writes.map((w) => w.request.streamId),
        writes.map((w) => w.from),
        writes.map((w) => w.to),
        writes.map((w) => w.request.requestHash),
        recordedAt,
      ],
    )) as { key: string; result: AppendResult }[];
    const byKey = new Map(written.map((w) => [w.key, w.result]));
    for (const w of writes) outcomes[w.index] = byKey.get(w.request.key)!;
    return outcomes;
  }

  private async inTransaction<T>(work: (q: QueryRunner) => Promise<T>): Promise<T> {
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction(); // READ COMMITTED, the default: one round trip fewer than naming it
      const result = await work(q);
      await q.commitTransaction();
      return result;
    } catch (e) {
      if (q.isTransactionActive) await q.rollbackTransaction();
      throw e;
    } finally {
      await q.release();
    }
  }

  /** The stream's current version (0 when it has no events). */
  async streamVersion(streamId: string): Promise<number> {
    categoryOf(streamId);
    const rows = await this.db.query<
      {
        version: number;
      }[]
    >(`SELECT version FROM event_streams WHERE stream_id = $1`, [streamId]);
    return rows[0]?.version ?? 0;
  }

  /** A stream's events in version order, a page at a time (bounded memory for any length). */
  async *readStream(
    streamId: string,
    range: { readonly fromVersion?: number; readonly toVersion?: number } = {},
  ): AsyncGenerator<StoredEvent> {
    categoryOf(streamId);
    let after = (range.fromVersion ?? 1) - 1;
    const to = range.toVersion ?? 2 ** 31 - 1;
    for (;;) {
      const rows = await this.db.query<EventRow[]>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version > $2 AND stream_version <= $3
          ORDER BY stream_version LIMIT $4`,
        [streamId, after, to, this.pageSize],
      );
      for (const r of rows) yield toStoredEvent(r);
      if (rows.length < this.pageSize) return;
      after = rows[rows.length - 1]!.stream_version;
    }
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
  async readPage(cursor: Cursor, limit = this.pageSize): Promise<{ events: StoredEvent[]; cursor: Cursor }> {
    const rows = await this.db.query<EventRow[]>(
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
  async *readAll(from: Cursor = START): AsyncGenerator<StoredEvent> {
    let cursor = from;
    for (;;) {
      const page = await this.readPage(cursor);
      for (const e of page.events) yield e;
      if (page.events.length < this.pageSize) return;
      cursor = page.cursor;
    }
  }

  /** Events by jurisdiction, party, type and business-time period, in position order. */
  async *query(filter: EventFilter): AsyncGenerator<StoredEvent> {
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
    params.push(this.pageSize);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT $${params.length}`;
    for (;;) {
      const rows = await this.db.query<EventRow[]>(sql, params);
      for (const r of rows) yield toStoredEvent(r);
      if (rows.length < this.pageSize) return;
      params[0] = rows[rows.length - 1]!.position;
    }
  }
}

/** One stream's append within a batch. */
export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: ExpectedVersion;
  readonly idempotencyKey: string;
}

interface PreparedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly businessTime: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly causationId: string | null;
  readonly correlationId: string | null;
  readonly eventId: string;
  readonly idempotencyKey: string;
  readonly tags: StreamTags | null;
}

interface PreparedRequest {
  readonly streamId: string;
  readonly category: string;
  readonly events: readonly PreparedEvent[];
  readonly expectedVersion: ExpectedVersion;
  readonly key: string;
  readonly requestHash: Buffer;
}

type HashedRow = PreparedEvent & {
  readonly streamId: string;
  readonly partyId: string | null;
  readonly jurisdiction: string | null;
  readonly streamVersion: number;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
};

/** Validates a request and derives what is written: event ids and keys from the idempotency key. */
function prepareRequest({ streamId, events, expectedVersion, idempotencyKey: key }: AppendRequest): PreparedRequest {
  const category = categoryOf(streamId);
  if (events.length === 0)
    throw new EventStoreError('EMPTY_BATCH', `append to ${streamId}: events must not be empty`, { streamId });
  if (typeof key !== 'string' || key.trim() === '' || key.length > 300) {
    throw new EventStoreError('MALFORMED_EVENT', 'idempotencyKey: 1-300 characters', { path: 'idempotencyKey' });
  }
  const prepared = events.map((e, i): PreparedEvent => {
    const schemaVersion = e.schemaVersion ?? 1;
    validateEvent(category, e.type, schemaVersion, e.data, i);
    if (
      !e.actor ||
      typeof e.actor.id !== 'string' ||
      !e.actor.id ||
      typeof e.actor.role !== 'string' ||
      !e.actor.role
    ) {
      throw new EventStoreError('MALFORMED_EVENT', `events[${i}].actor: id and role required`, {
        path: `events[${i}].actor`,
      });
    }
    for (const f of ['causationId', 'correlationId'] as const) {
      const v = e[f];
      if (v !== undefined && v !== null && !UUID.test(v)) {
        throw new EventStoreError('MALFORMED_EVENT', `events[${i}].${f}: a UUID`, { path: `events[${i}].${f}` });
      }
    }
    return {
      type: e.type,
      schemaVersion,
      data: e.data,
      businessTime: normaliseInstant(e.at, `events[${i}].at`),
      actor: { id: e.actor.id, role: e.actor.role },
      causationId: e.causationId ?? null,
      correlationId: e.correlationId ?? null,
      eventId: nameUuid(`${key}#${i}`),
      idempotencyKey: `${key}#${i}`,
      tags: category.tagsOf({ type: e.type, data: e.data }),
    };
  });
  const requestHash = sha256(
    canonicalJson({ streamId, expectedVersion, events: prepared.map(({ tags: _t, ...rest }) => rest) }),
  );
  return { streamId, category: category.name, events: prepared, expectedVersion, key, requestHash };
}

async function lookupIdempotency(
  q: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  key: string,
): Promise<{ request_hash: Buffer; result: AppendResult } | undefined> {
  const rows = (await q.query(`SELECT request_hash, result FROM event_idempotency WHERE idempotency_key = $1`, [
    key,
  ])) as { request_hash: Buffer; result: AppendResult }[];
  return rows[0];
}

/** A retried append: the first result if the content is the same, a conflict if it is not. */
function replay(prior: { request_hash: Buffer; result: AppendResult }, requestHash: Buffer, key: string): AppendResult {
  if (!prior.request_hash.equals(requestHash)) {
    throw new EventStoreError('IDEMPOTENCY_CONFLICT', `idempotency key '${key}' was used for a different append`, {
      idempotencyKey: key,
    });
  }
  return { ...prior.result, duplicate: true };
}

function replayOrError(
  prior: { request_hash: Buffer; result: AppendResult },
  requestHash: Buffer,
  key: string,
): AppendResult | EventStoreError {
  try {
    return replay(prior, requestHash, key);
  } catch (e) {
    if (e instanceof EventStoreError) return e;
    throw e;
  }
}
