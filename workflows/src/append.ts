import { patched, proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { AppendInput, AppendOutcome, EventActivities } from './activities';

const retry = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 } as const;

/**
 * Since 'bounded-append-retries' (issue 11): an append gives up after at most this many attempts
 * or this long, whichever comes first, instead of retrying without end. Five minutes ride out a
 * PostgreSQL restart of a minute or two; attempts back off to 10 s apart, so a step held while
 * PostgreSQL restarts is recorded within seconds of its return (well inside the API's step
 * deadline). Past the bounds a staff step's Update answers STORE_UNAVAILABLE (503) and a due step
 * tries again later (step-runner.ts).
 */
export const APPEND_LIMITS = {
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 40 },
} as const satisfies ActivityOptions;

/** The first releases appended through a regular activity: histories recorded then replay on it. */
const remote = proxyActivities<EventActivities>({ startToCloseTimeout: '30 seconds', retry });
const remoteBounded = proxyActivities<EventActivities>({ startToCloseTimeout: '30 seconds', ...APPEND_LIMITS });

/**
 * Since 'append-as-local-activity': the append runs in the worker that runs the workflow task,
 * without two more round trips through the server (schedule, then complete) per step. Retries
 * while PostgreSQL is away continue across workflow tasks after `localRetryThreshold`.
 */
const local = proxyLocalActivities<EventActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry,
});
const localBounded = proxyLocalActivities<EventActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  ...APPEND_LIMITS,
});

/** The event append both workflows use: idempotent by its key, retried with backoff, within bounds. */
export function appendEvents(input: AppendInput): Promise<AppendOutcome> {
  if (patched('append-as-local-activity')) {
    return patched('bounded-append-retries') ? localBounded.appendEvents(input) : local.appendEvents(input);
  }
  return patched('bounded-append-retries') ? remoteBounded.appendEvents(input) : remote.appendEvents(input);
}

/** Steps per run before continuing as new, well under the server's 2,000 Updates per run. */
export const STEPS_PER_RUN = 500;

/** A command as a workflow receives it: `at` defaults to the moment the workflow takes it. */
export type Untimed<C> = C extends unknown ? Omit<C, 'at'> & { at?: string } : never;
