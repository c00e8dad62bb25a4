import { DomainError, ValidationError } from '../../errors';
import { ownEntry, textIssue } from '../../identifiers/grammar';
import type { CampaignPolicy } from '../../policy/schema';
import { isOnOrBeforeDay, toMillis, type Instant } from '../../policy/calendar';
import type { PartyType } from '../../policy/policy-model';
import type { PartyRef } from '../events';
import type { AppliedSetState, CredentialSetState, CredentialSetStatus, RejectedState, RevokedState } from '../state';

/** The checks several steps share. Each assertion narrows the state to the statuses it lets through. */

export function requireExisting(state: CredentialSetState, step: string): asserts state is AppliedSetState {
  if (state.status === 'NONE') throw new DomainError('STEP_OUT_OF_ORDER', `${step}: no application for this set yet`);
}

export function requireNotEnded(
  state: AppliedSetState,
): asserts state is Exclude<AppliedSetState, RejectedState | RevokedState> {
  if (state.status === 'REVOKED')
    throw new DomainError('SET_REVOKED', `set ${state.setId} is revoked`, { setId: state.setId });
  if (state.status === 'REJECTED') {
    throw new DomainError('STEP_OUT_OF_ORDER', `set ${state.setId} was rejected at filing; the party applies again`, {
      setId: state.setId,
    });
  }
}

export function requireStatus<S extends CredentialSetStatus>(
  state: AppliedSetState,
  allowed: readonly S[],
  step: string,
): asserts state is AppliedSetState & { readonly status: S } {
  if (state.status === 'REVOKED')
    throw new DomainError('SET_REVOKED', `set ${state.setId} is revoked`, { setId: state.setId });
  const statuses: readonly CredentialSetStatus[] = allowed;
  if (!statuses.includes(state.status)) {
    throw new DomainError('STEP_OUT_OF_ORDER', `${step} needs the set ${allowed.join(' or ')}; it is ${state.status}`, {
      status: state.status,
      allowed,
    });
  }
}

export function requireMigratingPlatform(policy: CampaignPolicy, platform: string): void {
  const issue = textIssue(platform, 'platform');
  if (issue) throw new ValidationError([issue]);
  if (!ownEntry(policy.platforms, platform)?.migratesToNewCredential) {
    const migrating = Object.keys(policy.platforms).filter((p) => policy.platforms[p]?.migratesToNewCredential);
    throw new ValidationError([
      { path: 'platform', rule: `must be a platform moving to the new credential: ${migrating.join(', ')}` },
    ]);
  }
}

export function feeParty(party: PartyRef) {
  return { partyId: party.partyId, partyType: party.partyType, jurisdiction: party.jurisdiction };
}

/** After the party type's application deadline: still taken, but reported late. */
export function isLateForDeadline(partyType: PartyType, at: Instant, policy: CampaignPolicy): boolean {
  const key = policy.partyTypes[partyType].applicationDeadline;
  return key !== null && !isOnOrBeforeDay(at, policy.calendar[key], policy.timeZone);
}

export function earlier(a: Instant, b: Instant): Instant {
  return toMillis(a) <= toMillis(b) ? a : b;
}
