import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace, as JSON.stringify writes numbers and strings.
 * PostgreSQL's jsonb reorders keys, so hashes are always taken over this encoding, never raw text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in event');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256(...parts: (string | Buffer)[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The hash a stream's chain starts from: bound to the stream id, so a whole stream cannot be moved. */
export function genesisHash(streamId: string): Buffer {
  return sha256('certflow-stream-genesis\u0000', streamId);
}

/** Everything an auditor relies on about one event, hashed together with its predecessor's hash. */
export interface HashedFields {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly payload: unknown;
  readonly actor: { readonly id: string; readonly role: string };
  readonly causationId: string | null;
  readonly correlationId: string | null;
  /** ISO-8601 UTC with milliseconds. */
  readonly businessTime: string;
  readonly recordedAt: string;
  readonly idempotencyKey: string;
}

export function eventHash(fields: HashedFields, prevHash: Buffer): Buffer {
  return sha256(prevHash, canonicalJson(fields));
}
