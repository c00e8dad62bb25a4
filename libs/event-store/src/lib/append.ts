import type { DataSource, QueryRunner } from 'typeorm';
import { eventHash, genesisHash } from './canonical';
import { EventStoreError, WrongExpectedVersionError } from './errors';
import { prepareRequest, type HashedRow, type PreparedRequest } from './prepare';
import type { AppendRequest, AppendResult } from './types';

// Appends: single and batched, each stream's hash chain extended under its head row's lock, and
// idempotency (a retried request replays its first result; a reused key with other content is refused).

interface LockedHead {
  ord: number;
  version: number;
  head_hash: Buffer;
  party_id: string | null;
  jurisdiction: string | null;
  now: Date;
  prior_hash: Buffer | null;
  prior_result: AppendResult | null;
}

interface NewHead {
  streamId: string;
  version: number;
  hash: Buffer;
  partyId: string | null;
  jurisdiction: string | null;
}

interface Write {
  index: number;
  request: PreparedRequest;
  rows: HashedRow[];
  from: number;
  to: number;
  head: NewHead;
}

/**
 * Appends to many streams in one transaction (two statements however many streams), for bulk
 * work such as a campaign launch. Each request keeps its own expected version and idempotency
 * key; a request refused for its version or key comes back as that error in its place and the
 * others are written. Malformed requests throw before anything is written.
 */
export async function appendBatch(
  db: DataSource,
  requests: readonly AppendRequest[],
): Promise<(AppendResult | EventStoreError)[]> {
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
    return await inTransaction(db, (q) => appendLocked(q, prepared));
  } catch (e) {
    // First appends with one key racing on different streams: the losers' keys now exist; once
    // more, and the lookup sees them.
    if (
      (e as { code?: string }).code === '23505' &&
      /idempotency/.test((e as { constraint?: string }).constraint ?? '')
    ) {
      return await inTransaction(db, (q) => appendLocked(q, prepared));
    }
    throw e;
  }
}

async function appendLocked(
  q: QueryRunner,
  requests: readonly PreparedRequest[],
): Promise<(AppendResult | EventStoreError)[]> {
  // In stream order, so two batches cannot deadlock.
  const order = [...requests.keys()].sort((a, b) =>
    requests[a]!.streamId < requests[b]!.streamId ? -1 : requests[a]!.streamId > requests[b]!.streamId ? 1 : 0,
  );
  const heads = await lockHeads(q, requests, order);
  if (heads.length !== requests.length) throw new Error('stream heads vanished during an append');

  const outcomes = new Array<AppendResult | EventStoreError>(requests.length);
  const recordedAt = heads[0]!.now.toISOString();
  const writes: Write[] = [];
  for (const head of heads) {
    const index = order[head.ord]!;
    const r = requests[index]!;
    const refused = await priorOutcome(q, head, r);
    if (refused) outcomes[index] = refused;
    else writes.push({ index, request: r, ...chainRows(r, head, recordedAt) });
  }
  if (writes.length === 0) return outcomes;

  const written = await writeAll(q, recordedAt, writes);
  const byKey = new Map(written.map((w) => [w.key, w.result]));
  for (const w of writes) outcomes[w.index] = byKey.get(w.request.key)!;
  return outcomes;
}

/**
 * One round trip: create or lock every stream head (ON CONFLICT DO UPDATE locks existing rows)
 * and look up every idempotency key.
 */
async function lockHeads(
  q: QueryRunner,
  requests: readonly PreparedRequest[],
  order: readonly number[],
): Promise<LockedHead[]> {
  return (await q.query(
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
  )) as LockedHead[];
}

/** The outcome of a request that writes nothing (a replay, a key conflict, a wrong version), else undefined. */
async function priorOutcome(
  q: QueryRunner,
  head: LockedHead,
  r: PreparedRequest,
): Promise<AppendResult | EventStoreError | undefined> {
  if (head.prior_hash && head.prior_result) {
    return replayOrError({ request_hash: head.prior_hash, result: head.prior_result }, r.requestHash, r.key);
  }
  const actual = head.version;
  const wanted = r.expectedVersion === 'no-stream' ? 0 : r.expectedVersion;
  if (wanted !== 'any' && actual !== wanted) {
    // That statement's snapshot predates the lock wait: a concurrent first attempt of this very
    // request may have committed meanwhile. Look again before calling it a conflict.
    const prior = await lookupIdempotency(q.manager, r.key);
    return prior
      ? replayOrError(prior, r.requestHash, r.key)
      : new WrongExpectedVersionError(r.streamId, wanted, actual);
  }
  return undefined;
}

/** A request's events as rows extending its stream's hash chain, and the stream's new head. */
function chainRows(
  r: PreparedRequest,
  head: LockedHead,
  recordedAt: string,
): { rows: HashedRow[]; from: number; to: number; head: NewHead } {
  const actual = head.version;
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
  const to = actual + rows.length;
  return { rows, from: actual + 1, to, head: { streamId: r.streamId, version: to, hash: prev, partyId, jurisdiction } };
}

/** One round trip: the events, the new stream heads and the idempotency records, all or nothing. */
async function writeAll(
  q: QueryRunner,
  recordedAt: string,
  writes: readonly Write[],
): Promise<{ key: string; result: AppendResult }[]> {
  const rows = writes.flatMap((w) => w.rows);
  const heads2 = writes.map((w) => w.head);
  return (await q.query(
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
}

async function inTransaction<T>(db: DataSource, work: (q: QueryRunner) => Promise<T>): Promise<T> {
  const q = db.createQueryRunner();
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
