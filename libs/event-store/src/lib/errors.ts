/** Typed refusals of the event store; `code` is stable for callers (the API maps them to 4xx). */
export type EventStoreErrorCode =
  | 'WRONG_EXPECTED_VERSION'
  | 'IDEMPOTENCY_CONFLICT'
  | 'UNKNOWN_STREAM'
  | 'UNKNOWN_EVENT_TYPE'
  | 'UNKNOWN_SCHEMA_VERSION'
  | 'MALFORMED_EVENT'
  | 'EMPTY_BATCH';

export class EventStoreError extends Error {
  override readonly name = 'EventStoreError';
  constructor(
    readonly code: EventStoreErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${message}`);
  }
}

export class WrongExpectedVersionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super('WRONG_EXPECTED_VERSION', `stream ${streamId} is at version ${actual}, expected ${expected}`, {
      streamId,
      expected,
      actual,
    });
  }
}
