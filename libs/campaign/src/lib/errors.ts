import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, type FieldIssue } from '@certflow/domain';
import { EventStoreError } from '@certflow/event-store';

/** An RFC 9457 problem: what the API answers for every refusal. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly rule?: string;
  readonly errors?: readonly FieldIssue[];
  readonly details?: unknown;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

const STATUS: Readonly<Record<string, number>> = {
  INVALID_FIELD: 400,
  POLICY_INVALID: 400,
  ROLE_NOT_ALLOWED: 403,
  PARTY_NOT_REGISTERED: 404,
  FILING_UNKNOWN: 404,
  JURISDICTION_UNKNOWN: 400,
  STEP_OUT_OF_ORDER: 409,
  SET_ALREADY_EXISTS: 409,
  SET_REVOKED: 409,
  ALREADY_BOUND: 409,
  ONE_SET_PER_PARTY: 409,
  FILING_ALREADY_DECIDED: 409,
  PARTY_ALREADY_REGISTERED: 409,
  WRONG_EXPECTED_VERSION: 409,
  IDEMPOTENCY_CONFLICT: 409,
  UNKNOWN_STREAM: 404,
};

export function problem(status: number, rule: string, detail: string, extra: Partial<Problem> = {}): ProblemError {
  return new ProblemError({
    type: `https://certflow.example/problems/${rule.toLowerCase().replace(/_/g, '-')}`,
    title: rule,
    status,
    detail,
    rule,
    ...extra,
  });
}

export const notFound = (what: string) => problem(404, 'NOT_FOUND', `${what} does not exist`);

/** Maps whatever the domain, the store or Temporal refused to a problem; anything else is not ours to explain. */
export function toProblem(e: unknown): ProblemError | null {
  if (e instanceof ProblemError) return e;
  if (e instanceof DomainError) {
    const issues = (e.details['issues'] as FieldIssue[] | undefined) ?? undefined;
    // Dates, windows and counts the refusal names: 422 unless the table above says otherwise.
    return problem(STATUS[e.code] ?? 422, e.code, e.message, {
      ...(issues ? { errors: issues } : {}),
      details: e.details,
    });
  }
  if (e instanceof EventStoreError) return problem(STATUS[e.code] ?? 400, e.code, e.message, { details: e.details });
  if (e instanceof WorkflowNotFoundError) return notFound(`workflow ${e.workflowId ?? ''}`.trim());
  if (e instanceof WorkflowUpdateFailedError || e instanceof WorkflowFailedError) {
    const cause = e.cause;
    if (cause instanceof ApplicationFailure && cause.type) {
      const details = cause.details?.[0] as Record<string, unknown> | undefined;
      const issues = details?.['issues'] as FieldIssue[] | undefined;
      return problem(STATUS[cause.type] ?? 422, cause.type, cause.message, {
        ...(issues ? { errors: issues } : {}),
        details,
      });
    }
  }
  return null;
}
