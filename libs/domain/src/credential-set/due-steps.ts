import { startOfDay, toMillis } from '../policy/calendar';
import { cutOverDay } from '../policy/policy-model';
import type { CampaignPolicy } from '../policy/schema';
import { isEnded, type CredentialSetState } from './state';

/**
 * The steps the system takes by itself, and when: the cut-over for a set still in play, then each
 * expiry. (Reminders, when they come, are due steps of the same kind and belong here.)
 */

export type DueSystemStepType = 'RecordCutOver' | 'ExpireCredentialSet';

/**
 * The next due step, or null. `cutOverHandled` is the workflow's memory that the cut-over already
 * ran for this set (a bound set records nothing then, so the events alone cannot tell).
 */
export function dueSystemStep(
  state: CredentialSetState,
  policy: CampaignPolicy,
  cutOverHandled: boolean,
): { readonly type: DueSystemStepType; readonly at: number } | null {
  if (state.status === 'NONE' || isEnded(state)) return null;
  const candidates: { type: DueSystemStepType; at: number }[] = [];
  if (!cutOverHandled && !state.cutOverRecorded)
    candidates.push({ type: 'RecordCutOver', at: startOfDay(cutOverDay(policy), policy.timeZone) });
  if (state.status === 'ISSUED') candidates.push({ type: 'ExpireCredentialSet', at: toMillis(state.validUntil) });
  return candidates.sort((a, b) => a.at - b.at)[0] ?? null;
}
