/**
 * Refusals of the application layer that are not domain rules: an id nobody knows, an id taken, a
 * request without an actor, a malformed field the domain never sees. The API maps each code to an
 * HTTP status (apps/api/src/http/); libraries never name statuses.
 */
export type ApplicationCode =
  | 'NOT_FOUND'
  | 'INVALID_FIELD'
  | 'UNAUTHENTICATED'
  | 'ROLE_NOT_ALLOWED'
  | 'SET_ALREADY_EXISTS'
  | 'PARTY_ALREADY_REGISTERED'
  | 'LAUNCH_ALREADY_EXISTS'
  | 'MALFORMED_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'STEP_NOT_ACCEPTED'
  | 'IDEMPOTENCY_CONFLICT'
  // What the workflows refuse or fail with (workflows/src/trust.ts, failures.ts): a step sent past
  // the API as the SYSTEM actor or at a business time off the workflow's clock; an append that gave up.
  | 'SYSTEM_ACTOR_NOT_ACCEPTED'
  | 'BUSINESS_TIME_OUT_OF_TOLERANCE'
  | 'STORE_UNAVAILABLE';

/** One problem with one input field, named by its dotted path. */
export interface FieldProblem {
  readonly path: string;
  readonly rule: string;
}

export class ApplicationError extends Error {
  override readonly name = 'ApplicationError';

  constructor(
    readonly code: ApplicationCode,
    /** What the caller reads (the problem's `detail`). */
    readonly detail: string,
    readonly errors?: readonly FieldProblem[],
    /** Where to look next (e.g. the Update's id); the problem's `details`. */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(detail);
  }
}

export const notFound = (what: string) => new ApplicationError('NOT_FOUND', `${what} does not exist`);

/** A malformed field: `path: rule`, and the same as the problem's one `errors` entry. */
export const invalidField = (path: string, rule: string) =>
  new ApplicationError('INVALID_FIELD', `${path}: ${rule}`, [{ path, rule }]);
