import { requireRole } from '../../actor';
import { DomainError } from '../../errors';
import { formatLocal, formatWindow, isOnOrAfterDay } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { AppliedSetState } from '../state';
import { requireMigratingPlatform, requireStatus } from './guards';

/**
 * 新CA绑定: from the transition's first day, once the old credential is off the platform (unbound, or
 * stopped at the cut-over). Binding a platform the cut-over blocked restores the party's access.
 */
export function bindNewCredential(
  command: CredentialSetCommandOf<'BindNewCredential'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor, platform } = command;
  const tz = policy.timeZone;
  requireRole(actor, policy.operationRoles.BIND_NEW, 'binding the new credential');
  requireMigratingPlatform(policy, platform);
  requireStatus(state, ['ISSUED'], 'binding');
  const start = policy.calendar.transitionWindow.start;
  if (!isOnOrAfterDay(at, start, tz)) {
    throw new DomainError(
      'TRANSITION_NOT_STARTED',
      `binding is allowed from ${start} (${tz}); got ${formatLocal(at, tz)}`,
      {
        from: start,
        timeZone: tz,
      },
    );
  }
  if (state.boundPlatforms.includes(platform)) {
    throw new DomainError('ALREADY_BOUND', `set ${state.setId} is already bound to ${platform}`, { platform });
  }
  const old = state.oldCredential;
  if (old !== null && old.boundPlatforms.includes(platform) && !old.stoppedPlatforms.includes(platform)) {
    throw new DomainError(
      'OLD_CREDENTIAL_STILL_BOUND',
      `unbind old credential ${old.serial} from ${platform} first (allowed ${formatWindow(policy.calendar.transitionWindow, tz)})`,
      { platform, oldSerial: old.serial },
    );
  }
  const events: CredentialSetEvent[] = [{ type: 'NewCredentialBound', at, actor, data: { platform } }];
  if (state.blockedPlatforms.includes(platform)) {
    events.push({ type: 'PlatformAccessRestored', at, actor, data: { platform } });
  }
  return events;
}
