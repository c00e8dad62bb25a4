import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { KeyedRequest } from './idempotent-request';

/** The first answer to a keyed request, as it was sent: status and body text. */
export interface StoredAnswer {
  readonly status: number;
  readonly body: string;
}

/** A key as stored: the request it is bound to and, once answered, its first answer. */
export interface KeyRecord extends KeyedRequest {
  readonly state: 'IN_FLIGHT' | 'COMPLETED';
  readonly answer: StoredAnswer | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** The right to answer a key: whoever holds the token completes or releases it. */
export interface Claim {
  readonly key: string;
  readonly token: string;
}

export interface IdempotencySettings {
  /** How long a key and its answer are kept (default 24 hours); an older key counts as new. */
  readonly ttlSeconds?: number;
  /** How long a request in flight holds its key before a retry may take it over (default 15 s). */
  readonly leaseSeconds?: number;
}

export const IDEMPOTENCY_DEFAULTS = { ttlSeconds: 24 * 60 * 60, leaseSeconds: 15 } as const;

interface Row {
  key: string;
  actor: string | null;
  route: string;
  request_hash: string;
  status: 'IN_FLIGHT' | 'COMPLETED';
  response_status: number | null;
  response_body: string | null;
  created_at: Date;
  expires_at: Date;
}

/**
 * The `idempotency_keys` table. Times are the database's (`now()`), so every API process agrees on
 * what has expired and whose lease has lapsed.
 */
export class IdempotencyRepository {
  private readonly ttl: number;
  private readonly lease: number;

  constructor(
    private readonly db: DataSource,
    settings: IdempotencySettings = {},
  ) {
    this.ttl = settings.ttlSeconds ?? IDEMPOTENCY_DEFAULTS.ttlSeconds;
    this.lease = settings.leaseSeconds ?? IDEMPOTENCY_DEFAULTS.leaseSeconds;
  }

  /**
   * Claims a key for a request: a new key, an expired one (it counts as new), or one whose earlier
   * attempt at the same request is in flight past its lease (its process is gone or stuck). Null
   * when the key is held: answered, in flight within its lease, or bound to another request.
   */
  async claim(request: KeyedRequest): Promise<Claim | null> {
    const token = randomUUID();
    const rows = await this.db.query<{ key: string }[]>(
      `INSERT INTO idempotency_keys AS k
         (key, actor, route, request_hash, status, claim_token, created_at, claimed_at, expires_at)
       VALUES ($1, $2, $3, $4, 'IN_FLIGHT', $5, now(), now(), now() + make_interval(secs => $6))
       ON CONFLICT (key) DO UPDATE SET
         actor = EXCLUDED.actor, route = EXCLUDED.route, request_hash = EXCLUDED.request_hash,
         status = 'IN_FLIGHT', claim_token = EXCLUDED.claim_token, claimed_at = now(),
         response_status = NULL, response_body = NULL, completed_at = NULL,
         created_at = CASE WHEN k.expires_at <= now() THEN now() ELSE k.created_at END,
         expires_at = GREATEST(k.expires_at, EXCLUDED.expires_at)
       WHERE k.expires_at <= now()
          OR (k.status = 'IN_FLIGHT' AND k.claimed_at <= now() - make_interval(secs => $7)
              AND k.route = EXCLUDED.route AND k.request_hash = EXCLUDED.request_hash
              AND k.actor IS NOT DISTINCT FROM EXCLUDED.actor)
       RETURNING key`,
      [request.key, request.actor, request.route, request.requestHash, token, this.ttl, this.lease],
    );
    return rows.length === 1 ? { key: request.key, token } : null;
  }

  /** The key as stored, unless it has expired. */
  async find(key: string): Promise<KeyRecord | null> {
    const [row] = await this.db.query<Row[]>(
      `SELECT key, actor, route, request_hash, status, response_status, response_body, created_at, expires_at
         FROM idempotency_keys WHERE key = $1 AND expires_at > now()`,
      [key],
    );
    return row ? recordOf(row) : null;
  }

  /** Stores the first answer; the key is then kept for the TTL from now. False if the claim was lost. */
  complete(claim: Claim, answer: StoredAnswer): Promise<boolean> {
    return this.changed(
      `UPDATE idempotency_keys
          SET status = 'COMPLETED', response_status = $3, response_body = $4, completed_at = now(),
              expires_at = GREATEST(expires_at, now() + make_interval(secs => $5))
        WHERE key = $1 AND claim_token = $2 AND status = 'IN_FLIGHT'
        RETURNING key`,
      [claim.key, claim.token, answer.status, answer.body, this.ttl],
    ).then((n) => n === 1);
  }

  /** Gives a key back unanswered (the answer was not final): the next request with it runs afresh. */
  release(claim: Claim): Promise<boolean> {
    return this.changed(
      `DELETE FROM idempotency_keys WHERE key = $1 AND claim_token = $2 AND status = 'IN_FLIGHT' RETURNING key`,
      [claim.key, claim.token],
    ).then((n) => n === 1);
  }

  /** Deletes up to `limit` expired keys; how many it deleted. */
  deleteExpired(limit = 10_000): Promise<number> {
    return this.changed(
      `DELETE FROM idempotency_keys WHERE key IN (
         SELECT key FROM idempotency_keys WHERE expires_at <= now() ORDER BY expires_at LIMIT $1
       ) RETURNING key`,
      [limit],
    );
  }

  /** How many rows an UPDATE or DELETE ... RETURNING touched (counted in SQL: TypeORM shapes their results). */
  private async changed(statement: string, params: unknown[]): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      `WITH changed AS (${statement}) SELECT count(*)::int AS n FROM changed`,
      params,
    );
    return row?.n ?? 0;
  }
}

function recordOf(row: Row): KeyRecord {
  return {
    key: row.key,
    actor: row.actor,
    route: row.route,
    requestHash: row.request_hash,
    state: row.status,
    answer:
      row.status === 'COMPLETED' && row.response_status !== null && row.response_body !== null
        ? { status: row.response_status, body: row.response_body }
        : null,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
