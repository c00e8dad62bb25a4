import { ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '@certflow/domain/lifecycle';

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
