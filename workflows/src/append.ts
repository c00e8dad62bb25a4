import { proxyActivities } from '@temporalio/workflow';
import type { EventActivities } from './activities';

/** The event append both workflows use: retried with backoff while PostgreSQL is away. */
export const { appendEvents } = proxyActivities<EventActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** Steps per run before continuing as new, well under the server's 2,000 Updates per run. */
export const STEPS_PER_RUN = 500;

/** A command as a workflow receives it: `at` defaults to the moment the workflow takes it. */
export type Untimed<C> = C extends unknown ? Omit<C, 'at'> & { at?: string } : never;
