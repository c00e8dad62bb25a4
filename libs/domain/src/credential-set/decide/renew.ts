import { requireRole } from '../../actor';
import { DomainError } from '../../errors';
import { feeItems } from '../../fees/fees';
import {
  addDays,
  addMonths,
  formatLocal,
  localDateOf,
  startOfDay,
  toInstant,
  toMillis,
  type Instant,
} from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { AppliedSetState } from '../state';
import { feeParty, requireStatus } from './guards';

/** The instant renewal opens for a set valid until `validUntil`: that many local days before expiry. */
export function renewalOpensAt(validUntil: Instant, policy: CampaignPolicy): number {
  const tz = policy.timeZone;
  return startOfDay(addDays(localDateOf(validUntil, tz), -policy.renewal.windowDaysBeforeExpiry), tz);
}

/** 续期: from the renewal window's first day, also after expiry. */
export function renewCredentialSet(
  command: CredentialSetCommandOf<'RenewCredentialSet'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor } = command;
  const tz = policy.timeZone;
  requireStatus(state, ['ISSUED', 'EXPIRED'], 'renewing');
  requireRole(actor, policy.operationRoles.RENEW, 'renewing');
  const validUntil = state.validUntil;
  const opens = renewalOpensAt(validUntil, policy);
  if (toMillis(at) < opens) {
    throw new DomainError(
      'RENEWAL_WINDOW_NOT_OPEN',
      `renewal opens ${policy.renewal.windowDaysBeforeExpiry} days before expiry, on ${formatLocal(opens, tz)}; got ${formatLocal(at, tz)}`,
      { opensAt: toInstant(opens), validUntil },
    );
  }
  // Renewed early, the year runs on from the old expiry; renewed after expiry, from the renewal.
  const base = Math.max(toMillis(validUntil), toMillis(at));
  const fees = feeItems(policy, {
    ...feeParty(state.party),
    kind: 'RENEWAL',
    oldCredentialValidOnApplication: false,
    firstSetOfParty: state.firstSetOfParty,
  });
  const renewedUntil = toInstant(addMonths(base, policy.renewal.extendsByMonths, tz));
  return [
    {
      type: 'CredentialSetRenewed',
      at,
      actor,
      data: { previousValidUntil: validUntil, validUntil: renewedUntil, fees },
    },
  ];
}
