import { requireRole } from '../../actor';
import { DomainError } from '../../errors';
import { formatLocal, startOfDay, toMillis } from '../../policy/calendar';
import { cutOverDay } from '../../policy/policy-model';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import { isEnded, type AppliedSetState } from '../state';

/**
 * The cut-over (the system's step at 00:00 of the day the old credential stops on the target
 * platform): the old credential stops there, and a set with nothing new bound there is blocked.
 */
export function recordCutOver(
  command: CredentialSetCommandOf<'RecordCutOver'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor } = command;
  const tz = policy.timeZone;
  requireRole(actor, ['SYSTEM'], 'recording the cut-over');
  const day = cutOverDay(policy);
  if (toMillis(at) < startOfDay(day, tz)) {
    throw new DomainError(
      'CUT_OVER_NOT_REACHED',
      `the cut-over is ${formatLocal(startOfDay(day, tz), tz)}; got ${formatLocal(at, tz)}`,
      { cutOver: day, timeZone: tz },
    );
  }
  // A timer may fire again after a restart: recording twice changes nothing.
  if (state.cutOverRecorded || isEnded(state)) return [];
  const platform = policy.targetPlatform;
  const events: CredentialSetEvent[] = [];
  if (state.oldCredential?.boundPlatforms.includes(platform)) {
    events.push({ type: 'OldCredentialStopped', at, actor, data: { platform } });
  }
  if (!state.boundPlatforms.includes(platform)) {
    events.push({ type: 'PlatformAccessBlocked', at, actor, data: { platform } });
  }
  return events;
}
