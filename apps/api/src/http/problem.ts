import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { ApplicationError } from '@certflow/application';
import { DomainError, type FieldIssue } from '@certflow/domain';
import { EventStoreError } from '@certflow/event-store';
import { StepPending } from '@certflow/parties';
import { STATUS_OF, statusOfFailureType } from './rule-status';

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

export function problem(status: number, rule: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `https://certflow.example/problems/${rule.toLowerCase().replace(/_/g, '-')}`,
    title: rule,
    status,
    detail,
    rule,
    ...extra,
  };
}

/**
 * Maps whatever the application, the domain, the store or Temporal refused to a problem; anything
 * else is not ours to explain (the filter answers 503 or 500).
 */
export function toProblem(e: unknown): Problem | null {
  if (e instanceof ApplicationError) {
    return problem(STATUS_OF[e.code], e.code, e.detail, {
      ...(e.errors ? { errors: e.errors } : {}),
      ...(e.details ? { details: e.details } : {}),
    });
  }
  if (e instanceof DomainError) {
    const issues = (e.details['issues'] as FieldIssue[] | undefined) ?? undefined;
    return problem(STATUS_OF[e.code], e.code, e.message, { ...(issues ? { errors: issues } : {}), details: e.details });
  }
  if (e instanceof EventStoreError) return problem(STATUS_OF[e.code], e.code, e.message, { details: e.details });
  if (e instanceof WorkflowNotFoundError) {
    return problem(404, 'NOT_FOUND', `${`workflow ${e.workflowId ?? ''}`.trim()} does not exist`);
  }
  if (e instanceof WorkflowUpdateFailedError || e instanceof WorkflowFailedError) {
    // A failed append reaches the Update as an ActivityFailure wrapping the activity's refusal.
    const cause = e.cause instanceof ActivityFailure ? e.cause.cause : e.cause;
    if (cause instanceof ApplicationFailure && cause.type) {
      const details = cause.details?.[0] as Record<string, unknown> | undefined;
      const issues = details?.['issues'] as FieldIssue[] | undefined;
      return problem(statusOfFailureType(cause.type), cause.type, cause.message, {
        ...(issues ? { errors: issues } : {}),
        details,
      });
    }
  }
  return null;
}

/** A step the workflow accepted but had not finished by the deadline: 202, and where to look. */
export interface PendingStep {
  readonly location: string;
  readonly body: Readonly<Record<string, string>>;
}

export function toPendingStep(e: unknown): PendingStep | null {
  if (!(e instanceof StepPending)) return null;
  const { kind, id } = e.target;
  const location =
    kind === 'party'
      ? `/parties/${encodeURIComponent(id)}`
      : `/credential-sets/${encodeURIComponent(id)}?consistency=strong`;
  return {
    location,
    body: {
      status: 'PENDING',
      detail: e.message,
      [kind === 'party' ? 'partyId' : 'setId']: id,
      updateId: e.updateId,
      location,
      retry: `repeat the request with Idempotency-Key: ${e.updateId} to get its outcome (it takes effect once)`,
    },
  };
}
