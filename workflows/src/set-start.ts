import { ActivityFailure, ApplicationFailure, isCancellation, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { CredentialSetStartActivities, StartCredentialSetInput } from './activities';
import { APPEND_LIMITS } from './append';
import { DUE_STEP_RETRY } from './step-runner';

// A start takes milliseconds; a worker that died mid-start is noticed (and the start retried) after 10 s.
const { startCredentialSet } = proxyActivities<CredentialSetStartActivities>({
  startToCloseTimeout: '10 seconds',
  ...APPEND_LIMITS,
});

/**
 * Starts an applied set's workflow. The activity's retries are bounded (as every activity's are);
 * when they give up while Temporal stays away, the start is taken again after a durable wait,
 * because the party has recorded the slot and giving up would leave a slot without its set. Only a
 * start that cannot succeed (the set id is another set's) fails, and the caller closes the slot.
 */
export async function startSetDurably(input: StartCredentialSetInput): Promise<void> {
  for (let failures = 0; ; failures += 1) {
    try {
      return await startCredentialSet(input);
    } catch (e) {
      if (isCancellation(e) || cannotSucceed(e)) throw e;
      const wait = Math.min(DUE_STEP_RETRY.firstMs * 2 ** failures, DUE_STEP_RETRY.maxMs);
      log.warn('a set could not be started; trying again later', { setId: input.setId, attempt: failures + 1, wait });
      await sleep(wait);
    }
  }
}

function cannotSucceed(e: unknown): boolean {
  const cause = e instanceof ActivityFailure ? e.cause : e;
  return cause instanceof ApplicationFailure && cause.nonRetryable === true;
}
