import { ApplicationFailure } from '@temporalio/common';
import { EventStoreError } from '@certflow/event-store';

/** The failure type of a write PostgreSQL refused for its content: mapped to 400 like the store's own. */
export const REJECTED_BY_DATABASE = 'MALFORMED_EVENT';

/** The SQLSTATE of a PostgreSQL error, raw (pg) or wrapped (TypeORM's `driverError`, a `cause`). */
function sqlState(e: unknown, depth = 0): string | undefined {
  if (typeof e !== 'object' || e === null || depth > 4) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  const inner = e as { driverError?: unknown; cause?: unknown };
  return sqlState(inner.driverError, depth + 1) ?? sqlState(inner.cause, depth + 1);
}

/**
 * Data (22), integrity constraint (23) and syntax or access rule (42) errors: the same write is
 * refused again. Never serialization failures (40001), deadlocks (40P01), connection errors (08),
 * operator intervention (57P0x) or anything else: those may pass on retry.
 */
export function isPermanentSqlState(state: string): boolean {
  return ['22', '23', '42'].includes(state.slice(0, 2));
}

/**
 * What a writing activity throws for `e`: a non-retryable ApplicationFailure when the store or
 * PostgreSQL refused the write for its content (a retry cannot succeed), `e` itself otherwise
 * (database away, timeouts, conflicts under load: Temporal retries with backoff).
 */
export function classifyStoreError(e: unknown): unknown {
  if (e instanceof ApplicationFailure) return e;
  if (e instanceof EventStoreError) {
    return ApplicationFailure.create({ type: e.code, message: e.message, details: [e.details], nonRetryable: true });
  }
  const state = sqlState(e);
  if (state !== undefined && isPermanentSqlState(state)) {
    const message = e instanceof Error ? e.message : String(e);
    return ApplicationFailure.create({
      type: REJECTED_BY_DATABASE,
      message: `the database refused the write (SQLSTATE ${state}): ${message}`,
      details: [{ sqlState: state }],
      nonRetryable: true,
    });
  }
  return e;
}
