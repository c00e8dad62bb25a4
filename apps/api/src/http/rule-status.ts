import type { ApplicationCode } from '@certflow/application';
import type { RuleCode } from '@certflow/domain';
import type { EventStoreErrorCode } from '@certflow/event-store';

/** Every code a refusal can carry: the domain's rules, the event store's, the application's. */
export type Code = RuleCode | EventStoreErrorCode | ApplicationCode;

/**
 * The HTTP status of each code. A Record over the whole union: a code nobody mapped fails to
 * compile. 400 a bad field, 401/403 the actor, 404 an unknown id, 409 a conflict or a step out of
 * order, 422 a dated rule (window, deadline, opening day) refusing it now.
 */
export const STATUS_OF: Readonly<Record<Code, number>> = {
  // the domain's rules
  INVALID_FIELD: 400,
  POLICY_INVALID: 400,
  JURISDICTION_UNKNOWN: 400,
  ROLE_NOT_ALLOWED: 403,
  PARTY_NOT_REGISTERED: 404,
  FILING_UNKNOWN: 404,
  STEP_OUT_OF_ORDER: 409,
  SET_ALREADY_EXISTS: 409,
  SET_REVOKED: 409,
  ALREADY_BOUND: 409,
  ONE_SET_PER_PARTY: 409,
  FILING_ALREADY_DECIDED: 409,
  PARTY_ALREADY_REGISTERED: 409,
  PARTY_TYPE_NOT_YET_OPEN: 422,
  NOT_A_WORKDAY: 422,
  PARTY_TYPE_MISMATCH: 422,
  NO_OLD_CREDENTIAL: 422,
  OLD_CREDENTIAL_NOT_BOUND: 422,
  OLD_CREDENTIAL_STILL_BOUND: 422,
  TRANSITION_WINDOW_CLOSED: 422,
  TRANSITION_NOT_STARTED: 422,
  CUT_OVER_NOT_REACHED: 422,
  NOT_EXPIRED_YET: 422,
  RENEWAL_WINDOW_NOT_OPEN: 422,
  VALIDITY_OUT_OF_RANGE: 422,
  FILING_NOT_OPEN: 422,
  // the event store's
  WRONG_EXPECTED_VERSION: 409,
  // the same Idempotency-Key with another request (the API's keys, the store's append keys)
  IDEMPOTENCY_CONFLICT: 422,
  UNKNOWN_STREAM: 404,
  UNKNOWN_EVENT_TYPE: 400,
  UNKNOWN_SCHEMA_VERSION: 400,
  MALFORMED_EVENT: 400,
  EMPTY_BATCH: 400,
  // the application's
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  LAUNCH_ALREADY_EXISTS: 409,
  MALFORMED_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  STEP_NOT_ACCEPTED: 503,
  SYSTEM_ACTOR_NOT_ACCEPTED: 403,
  BUSINESS_TIME_OUT_OF_TOLERANCE: 400,
  STORE_UNAVAILABLE: 503,
};

/** A Temporal failure's type is a plain string: a known code, or a dated rule we cannot name (422). */
export function statusOfFailureType(type: string): number {
  return Object.hasOwn(STATUS_OF, type) ? STATUS_OF[type as Code] : 422;
}
