import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '@certflow/domain/lifecycle';

/**
 * The type of a step's failure when its append gave up (the store away past the append's bounds):
 * nothing was recorded and the same step may be sent again; the API answers 503.
 */
export const STORE_UNAVAILABLE = 'STORE_UNAVAILABLE';

/** A refused step as a failure the caller can read: type = the rule code, details = its dates and counts. */
export function asFailure(e: unknown): unknown {
  if (e instanceof DomainError) {
    return ApplicationFailure.create({ type: e.code, message: e.message, details: [e.details], nonRetryable: true });
  }
  return e;
}

export function decideOrFail<T>(decide: () => T): T {
  try {
    return decide();
  } catch (e) {
    throw asFailure(e);
  }
}

/**
 * What a staff step's Update fails with when its append failed: the store's refusal as it is (a
 * non-retryable failure naming its rule, 4xx), or STORE_UNAVAILABLE when the append ran out of
 * attempts or time (a retry may pass, 503).
 */
export function asAppendFailure(e: unknown): unknown {
  const cause = e instanceof ActivityFailure ? e.cause : e;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) return e;
  if (!(e instanceof ActivityFailure)) return e;
  const why = cause instanceof Error ? cause.message : e.message;
  return ApplicationFailure.create({
    type: STORE_UNAVAILABLE,
    message: `the step was not recorded: the event store did not answer in time (${why}); send it again`,
    nonRetryable: true,
    cause: e,
  });
}
