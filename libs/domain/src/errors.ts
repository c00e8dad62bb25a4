/**
 * Every refusal the domain can make, as a stable code. Codes are part of the API contract:
 * clients and auditors match on them, so they are never renamed.
 */
export type RuleCode =
  | 'INVALID_FIELD'
  | 'ROLE_NOT_ALLOWED'
  | 'PARTY_TYPE_NOT_YET_OPEN'
  | 'NOT_A_WORKDAY'
  | 'PARTY_TYPE_MISMATCH'
  | 'JURISDICTION_UNKNOWN'
  | 'STEP_OUT_OF_ORDER'
  | 'SET_REVOKED'
  | 'SET_ALREADY_EXISTS'
  | 'NO_OLD_CREDENTIAL'
  | 'OLD_CREDENTIAL_NOT_BOUND'
  | 'OLD_CREDENTIAL_STILL_BOUND'
  | 'TRANSITION_WINDOW_CLOSED'
  | 'TRANSITION_NOT_STARTED'
  | 'ALREADY_BOUND'
  | 'CUT_OVER_NOT_REACHED'
  | 'NOT_EXPIRED_YET'
  | 'RENEWAL_WINDOW_NOT_OPEN'
  | 'VALIDITY_OUT_OF_RANGE'
  | 'ONE_SET_PER_PARTY'
  | 'FILING_NOT_OPEN'
  | 'FILING_ALREADY_DECIDED'
  | 'FILING_UNKNOWN'
  | 'PARTY_ALREADY_REGISTERED'
  | 'PARTY_NOT_REGISTERED'
  | 'POLICY_INVALID';

/** A command the rules refuse. `details` carries the dates, windows or counts the message names. */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: RuleCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${message}`);
  }
}

/** One problem with one input field; `path` is dotted (`contact.mobile`, `fees.NEW.ca`). */
export interface FieldIssue {
  readonly path: string;
  readonly rule: string;
}

/** Bad input: every problem found, each naming its field and rule. */
export class ValidationError extends DomainError {
  constructor(readonly issues: readonly FieldIssue[]) {
    super('INVALID_FIELD', issues.map((i) => `${i.path}: ${i.rule}`).join('; '), { issues });
  }
}

/** A field check returns the problem with the value, or nothing when it is fine. */
export type FieldCheck = (value: string, path: string) => FieldIssue | undefined;
