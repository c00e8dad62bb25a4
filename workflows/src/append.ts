import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { AppendInput, AppendOutcome, EventActivities } from './activities';

const retry = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 } as const;

/** The first releases appended through a regular activity: histories recorded then replay on it. */
const remote = proxyActivities<EventActivities>({ startToCloseTimeout: '30 seconds', retry });

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

/** The event append both workflows use: idempotent by its key, retried with backoff. */
export function appendEvents(input: AppendInput): Promise<AppendOutcome> {
  return patched('append-as-local-activity') ? local.appendEvents(input) : remote.appendEvents(input);
}

/** Steps per run before continuing as new, well under the server's 2,000 Updates per run. */
export const STEPS_PER_RUN = 500;

/** A command as a workflow receives it: `at` defaults to the moment the workflow takes it. */
export type Untimed<C> = C extends unknown ? Omit<C, 'at'> & { at?: string } : never;
