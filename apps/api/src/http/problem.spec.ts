import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationError, invalidField, notFound } from '@certflow/application';
import { DomainError, ValidationError } from '@certflow/domain';
import { WrongExpectedVersionError } from '@certflow/event-store';
import { StepPending } from '@certflow/parties';
import { toPendingStep, toProblem } from './problem';
import { STATUS_OF, statusOfFailureType, type Code } from './rule-status';

describe('rule codes as HTTP statuses', () => {
  it('maps every code of the union: a new code nobody mapped does not compile (typecheck)', () => {
    // @ts-expect-error the map lacks a status for NEW_RULE
    const unmapped: Readonly<Record<Code | 'NEW_RULE', number>> = STATUS_OF;
    expect(Object.keys(unmapped)).not.toContain('NEW_RULE');
  });

  it('gives every refusal code a 4xx status; only what is not a refusal (a part away, a deadline) is 503', () => {
    const unavailable = ['STEP_NOT_ACCEPTED', 'STORE_UNAVAILABLE'];
    for (const [code, status] of Object.entries(STATUS_OF)) {
      if (unavailable.includes(code)) expect([code, status]).toEqual([code, 503]);
      else expect([code, status >= 400 && status < 500]).toEqual([code, true]);
    }
  });

  it('answers 422 for a Temporal failure type that is no known code (a dated rule it cannot name)', () => {
    expect(statusOfFailureType('TRANSITION_WINDOW_CLOSED')).toBe(422);
    expect(statusOfFailureType('ONE_SET_PER_PARTY')).toBe(409);
    expect(statusOfFailureType('SOMETHING_NEW')).toBe(422);
    expect(statusOfFailureType('toString')).toBe(422);
  });
});

describe('toProblem', () => {
  it('answers an unknown id as a 404 problem without details', () => {
    expect(toProblem(notFound('party p-1'))).toEqual({
      type: 'https://certflow.example/problems/not-found',
      title: 'NOT_FOUND',
      status: 404,
      detail: 'party p-1 does not exist',
      rule: 'NOT_FOUND',
    });
  });

  it('names the field of a malformed input', () => {
    expect(toProblem(invalidField('asOf', 'an ISO-8601 instant with offset'))).toMatchObject({
      status: 400,
      rule: 'INVALID_FIELD',
      detail: 'asOf: an ISO-8601 instant with offset',
      errors: [{ path: 'asOf', rule: 'an ISO-8601 instant with offset' }],
    });
    expect(toProblem(new ApplicationError('UNAUTHENTICATED', 'who?'))).toMatchObject({ status: 401, detail: 'who?' });
  });

  it("carries a domain refusal's code, message, details and field issues", () => {
    expect(toProblem(new DomainError('ONE_SET_PER_PARTY', 'party p has set s', { openSets: ['s'] }))).toEqual({
      type: 'https://certflow.example/problems/one-set-per-party',
      title: 'ONE_SET_PER_PARTY',
      status: 409,
      detail: 'ONE_SET_PER_PARTY: party p has set s',
      rule: 'ONE_SET_PER_PARTY',
      details: { openSets: ['s'] },
    });
    expect(toProblem(new ValidationError([{ path: 'contact.phone', rule: 'a phone number' }]))).toMatchObject({
      status: 400,
      errors: [{ path: 'contact.phone', rule: 'a phone number' }],
    });
  });

  it("maps the event store's refusals and the rule inside a refused Update", () => {
    expect(toProblem(new WrongExpectedVersionError('party-p', 1, 2))).toMatchObject({
      status: 409,
      rule: 'WRONG_EXPECTED_VERSION',
    });
    const refused = new WorkflowUpdateFailedError(
      'refused',
      ApplicationFailure.create({ type: 'TRANSITION_WINDOW_CLOSED', message: 'closed', details: [{ window: 'w' }] }),
    );
    expect(toProblem(refused)).toMatchObject({
      status: 422,
      rule: 'TRANSITION_WINDOW_CLOSED',
      detail: 'closed',
      details: { window: 'w' },
    });
  });

  it('maps an Update whose append the database refused (an ActivityFailure around it) to 400, never 500', () => {
    const refusal = ApplicationFailure.nonRetryable(
      'the database refused the write (SQLSTATE 22P05)',
      'MALFORMED_EVENT',
    );
    const failed = new WorkflowUpdateFailedError(
      'append failed',
      new ActivityFailure('activity failed', 'appendEvents', '1', RetryState.NON_RETRYABLE_FAILURE, undefined, refusal),
    );
    expect(toProblem(failed)).toMatchObject({ status: 400, rule: 'MALFORMED_EVENT' });
  });

  it('leaves anything else to the filter (500 or 503)', () => {
    expect(toProblem(new Error('boom'))).toBeNull();
    expect(toPendingStep(new Error('boom'))).toBeNull();
  });

  it("answers a step not accepted in time 503 with the Update's id to retry with", () => {
    const e = new ApplicationError('STEP_NOT_ACCEPTED', 'not accepted within 10 s', undefined, {
      setId: 's-1',
      updateId: 'k-1',
    });
    expect(toProblem(e)).toMatchObject({
      status: 503,
      rule: 'STEP_NOT_ACCEPTED',
      details: { setId: 's-1', updateId: 'k-1' },
    });
  });

  it("answers a step accepted but unfinished with where to look: the set's or party's Location and the Update", () => {
    expect(toPendingStep(new StepPending({ kind: 'credential-set', id: 's-1' }, 'k-1', 10))).toEqual({
      location: '/credential-sets/s-1?consistency=strong',
      body: expect.objectContaining({ status: 'PENDING', setId: 's-1', updateId: 'k-1' }),
    });
    expect(toPendingStep(new StepPending({ kind: 'party', id: 'p-1' }, 'k-2', 10))).toMatchObject({
      location: '/parties/p-1',
      body: { partyId: 'p-1', updateId: 'k-2', location: '/parties/p-1' },
    });
  });
});
