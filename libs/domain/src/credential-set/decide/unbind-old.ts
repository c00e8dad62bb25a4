import { requireRole } from '../../actor';
import { DomainError } from '../../errors';
import { formatLocal, formatWindow, isWithinWindow } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { AppliedSetState } from '../state';
import { requireMigratingPlatform, requireNotEnded } from './guards';

/** 原CA解绑: only on the transition window's days, and only where the old credential is bound. */
export function unbindOldCredential(
  command: CredentialSetCommandOf<'UnbindOldCredential'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor, platform } = command;
  const tz = policy.timeZone;
  requireNotEnded(state);
  requireRole(actor, policy.operationRoles.UNBIND_OLD, 'unbinding the old credential');
  requireMigratingPlatform(policy, platform);
  const window = policy.calendar.transitionWindow;
  if (!isWithinWindow(at, window, tz)) {
    throw new DomainError(
      'TRANSITION_WINDOW_CLOSED',
      `unbinding is allowed ${formatWindow(window, tz)}; got ${formatLocal(at, tz)}`,
      { window, timeZone: tz },
    );
  }
  const old = state.oldCredential;
  if (old === null) throw new DomainError('NO_OLD_CREDENTIAL', `set ${state.setId} replaces no old credential`);
  if (!old.boundPlatforms.includes(platform)) {
    throw new DomainError('OLD_CREDENTIAL_NOT_BOUND', `old credential ${old.serial} is not bound to ${platform}`, {
      platform,
    });
  }
  return [{ type: 'OldCredentialUnbound', at, actor, data: { platform } }];
}
