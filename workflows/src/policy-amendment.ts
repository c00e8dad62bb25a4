import { defineSignal, log, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CampaignPolicy, PolicyAmendmentRef } from '@certflow/domain/lifecycle';
import type { PolicyActivities } from './activities';
import { APPEND_LIMITS } from './append';

/**
 * A policy amendment of the same campaign (e.g. a platform's stop day set by a later notice).
 * Since 'policy-amendments-from-log' (issue 11) the signal names an amendment recorded in the log
 * (`recordPolicyAmendment`: who, when, which version) and the workflow reads it from there; a
 * policy sent in the signal itself, as the first releases did, is no longer taken.
 */
export type PolicyAmendmentSignal = PolicyAmendmentRef | CampaignPolicy;
export const amendPolicy = defineSignal<[PolicyAmendmentSignal]>('amendPolicy');

const { policyAmendment } = proxyActivities<PolicyActivities>({ startToCloseTimeout: '30 seconds', ...APPEND_LIMITS });

function isRef(signal: PolicyAmendmentSignal): signal is PolicyAmendmentRef {
  const s = signal as Partial<PolicyAmendmentRef> & { calendar?: unknown };
  return typeof s.policyId === 'string' && typeof s.version === 'number' && s.calendar === undefined;
}

/**
 * Takes amendments of the policy `current()` answers: a newer version of the same policy, found in
 * the log, is handed to `take`. Anything else (another policy, an older version, a version the
 * log does not hold, a policy sent whole) is ignored, with a warning in the worker's log.
 */
export function handlePolicyAmendments(current: () => CampaignPolicy, take: (amended: CampaignPolicy) => void): void {
  setHandler(amendPolicy, async (signal) => {
    if (!patched('policy-amendments-from-log')) {
      // The first releases' signal carried the policy itself: their histories replay on this branch.
      const amended = signal as CampaignPolicy;
      if (amended.id === current().id && amended.version > current().version) take(amended);
      return;
    }
    if (!isRef(signal)) {
      log.warn('a policy amendment is taken only from the log, not from a signal; ignored');
      return;
    }
    const { policyId, version } = signal;
    if (policyId !== current().id || version <= current().version) return;
    const amended = await policyAmendment({ policyId, version }).catch((e: unknown) => {
      log.warn('the policy amendment could not be read; ignored', { policyId, version, error: String(e) });
      return null;
    });
    if (!amended) {
      log.warn('no such policy amendment in the log; ignored', { policyId, version });
      return;
    }
    if (amended.id === current().id && amended.version > current().version) take(amended);
  });
}
