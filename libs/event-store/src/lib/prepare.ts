import { createHash } from 'node:crypto';
import { unstorablePath } from '@certflow/domain';
import { canonicalJson, sha256 } from './canonical';
import { EventStoreError } from './errors';
import { categoryOf, validateEvent, type StreamTags } from './streams';
import type { AppendRequest, ExpectedVersion } from './types';

// Validation and derivation before an append touches the database: instants normalised, event ids
// and keys derived from the idempotency key, and the request's content hash.

/** A deterministic UUID from a name, so a retried append gets the same event ids. */
function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function normaliseInstant(value: string, path: string): string {
  const ms = typeof value === 'string' && /(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new EventStoreError('MALFORMED_EVENT', `${path}: an ISO-8601 instant with offset`, { path });
  return new Date(ms).toISOString();
}

/**
 * PostgreSQL's text and jsonb cannot hold NUL or an unpaired surrogate (SQLSTATE 22P05, 22P02): such
 * a write is refused here, as the store's own non-retryable MALFORMED_EVENT naming the place, before
 * a connection is taken. The domain refuses them earlier; this holds for every writer.
 */
function requireStorable(value: unknown, path: string): void {
  const at = unstorablePath(value);
  if (at === null) return;
  const where = at === '(value)' ? path : at.startsWith('[') ? `${path}${at}` : `${path}.${at}`;
  throw new EventStoreError('MALFORMED_EVENT', `${where}: ${STORABLE_RULE}`, { path: where, rule: STORABLE_RULE });
}

const STORABLE_RULE = 'must not contain NUL or an unpaired UTF-16 surrogate (PostgreSQL cannot store them)';

export interface PreparedEvent {
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

export interface PreparedRequest {
  readonly streamId: string;
  readonly category: string;
  readonly events: readonly PreparedEvent[];
  readonly expectedVersion: ExpectedVersion;
  readonly key: string;
  readonly requestHash: Buffer;
}

export type HashedRow = PreparedEvent & {
  readonly streamId: string;
  readonly partyId: string | null;
  readonly jurisdiction: string | null;
  readonly streamVersion: number;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
};

/** Validates a request and derives what is written: event ids and keys from the idempotency key. */
export function prepareRequest({
  streamId,
  events,
  expectedVersion,
  idempotencyKey: key,
}: AppendRequest): PreparedRequest {
  const category = categoryOf(streamId);
  if (events.length === 0)
    throw new EventStoreError('EMPTY_BATCH', `append to ${streamId}: events must not be empty`, { streamId });
  if (typeof key !== 'string' || key.trim() === '' || key.length > 300) {
    throw new EventStoreError('MALFORMED_EVENT', 'idempotencyKey: 1-300 characters', { path: 'idempotencyKey' });
  }
  requireStorable(key, 'idempotencyKey');
  const prepared = events.map((e, i): PreparedEvent => {
    const schemaVersion = e.schemaVersion ?? 1;
    validateEvent(category, e.type, schemaVersion, e.data, i);
    requireStorable(e.data, `events[${i}].data`);
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
    requireStorable(e.actor.id, `events[${i}].actor.id`);
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
