import { isCancellation, log, proxyActivities, sleep } from '@temporalio/workflow';
import { toInstant } from '@certflow/domain/lifecycle';
import type { SetEndActivities } from './activities';
import { APPEND_LIMITS } from './append';
import { DUE_STEP_RETRY } from './step-runner';

const { credentialSetEnd } = proxyActivities<SetEndActivities>({ startToCloseTimeout: '30 seconds', ...APPEND_LIMITS });

/** What a set's end signal says (anyone who reaches the frontend can send it). */
export interface SetEndSignal {
  readonly setId: string;
  readonly everIssued: boolean;
  readonly at: string;
}

/**
 * The end of a set as the log has it, for the close its end signal asks for (issue 11,
 * 'set-end-from-log'; the signal can come from anyone who reaches the frontend): the set's stream
 * must show it ended, and the close takes that end's time and issue from there; a set that recorded
 * nothing (refused at its first step) closes at the party's now; a set that has not ended is not
 * closed (null). If the store stays away, asked again after a durable wait.
 */
export async function setEndFromLog(setId: string): Promise<{ at: string; everIssued: boolean } | null> {
  for (let failures = 0; ; failures += 1) {
    try {
      const end = await credentialSetEnd({ setId });
      if (!end) log.warn('a set that has not ended was said to have ended; ignored', { setId });
      if (!end) return null;
      return end.recorded
        ? { at: end.at, everIssued: end.everIssued }
        : { at: toInstant(Date.now()), everIssued: false };
    } catch (e) {
      if (isCancellation(e)) throw e;
      await sleep(Math.min(DUE_STEP_RETRY.firstMs * 2 ** failures, DUE_STEP_RETRY.maxMs));
    }
  }
}
