import { ApplicationFailure } from '@temporalio/workflow';

/**
 * How far a step's business time `at` may lie from the workflow's clock. The API stamps `at` with
 * its own clock just before it sends the Update, so the two differ by the request's transit and
 * clock skew between hosts: seconds. Five minutes leave room for a slow hop and a skewed clock,
 * and keep a sender from backdating or postdating a step into another day of the calendar.
 */
export const BUSINESS_TIME_TOLERANCE_MS = 5 * 60_000;

/** The rule codes of a step refused for where it came from (the API maps them to 403 and 400). */
export const SYSTEM_ACTOR_NOT_ACCEPTED = 'SYSTEM_ACTOR_NOT_ACCEPTED';
export const BUSINESS_TIME_OUT_OF_TOLERANCE = 'BUSINESS_TIME_OUT_OF_TOLERANCE';

/** What every step sent from outside carries: who takes it and, optionally, when. */
export interface FromOutside {
  readonly actor?: { readonly role?: string };
  readonly at?: string;
}

function refuse(type: string, message: string, details: Record<string, unknown>): never {
  throw ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

/**
 * The validator's check of what an Update may not decide for itself: the SYSTEM actor belongs to
 * the workflow's own timers, and the business time must be the workflow's now, give or take
 * BUSINESS_TIME_TOLERANCE_MS. Whoever reaches the Temporal frontend cannot write a step as the
 * system or with a backdated (or future) time into the hash chain.
 */
export function refuseUntrusted(c: FromOutside): void {
  if (c.actor?.role === 'SYSTEM') {
    refuse(SYSTEM_ACTOR_NOT_ACCEPTED, 'the SYSTEM actor takes only the workflow’s own steps, never one sent to it', {
      field: 'actor.role',
    });
  }
  if (c.at === undefined) return;
  const at = Date.parse(c.at);
  const now = Date.now();
  if (Number.isNaN(at) || Math.abs(at - now) > BUSINESS_TIME_TOLERANCE_MS) {
    refuse(
      BUSINESS_TIME_OUT_OF_TOLERANCE,
      `at ${c.at} is more than ${BUSINESS_TIME_TOLERANCE_MS / 60_000} minutes from the workflow's clock (${new Date(now).toISOString()})`,
      { field: 'at', at: c.at, now: new Date(now).toISOString(), toleranceMs: BUSINESS_TIME_TOLERANCE_MS },
    );
  }
}
