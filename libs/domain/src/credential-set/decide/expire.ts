import { requireRole } from '../../actor';
import { DomainError } from '../../errors';
import { formatLocal, toMillis } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { AppliedSetState } from '../state';
import { requireStatus } from './guards';

/** The system's step at the instant the set's validity ends. */
export function expireCredentialSet(
  command: CredentialSetCommandOf<'ExpireCredentialSet'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor } = command;
  const tz = policy.timeZone;
  requireRole(actor, ['SYSTEM'], 'expiring a set');
  requireStatus(state, ['ISSUED'], 'expiring');
  const validUntil = state.validUntil;
  if (toMillis(at) < toMillis(validUntil)) {
    throw new DomainError(
      'NOT_EXPIRED_YET',
      `set ${state.setId} is valid until ${formatLocal(validUntil, tz)}; got ${formatLocal(at, tz)}`,
      { validUntil },
    );
  }
  return [{ type: 'CredentialSetExpired', at, actor, data: { validUntil } }];
}
