import type { StoredEvent } from './types';

// Times and hashes leave PostgreSQL as the text the log uses (ISO-8601 UTC with milliseconds,
// lowercase hex): no Date or Buffer made and turned back into text per event, which was a third
// of a full-log replay.
export const EVENT_COLUMNS = `position, tx_id::text AS tx_id, event_id, stream_id, stream_version, event_type, schema_version, payload,
  actor_id, actor_role, causation_id, correlation_id,
  to_char(business_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS business_time,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  idempotency_key, party_id, jurisdiction, encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash`;

export interface EventRow {
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
