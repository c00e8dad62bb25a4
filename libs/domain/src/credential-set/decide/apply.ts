import { requireRole } from '../../actor';
import { DomainError } from '../../errors';
import { formatLocal, isOnOrAfterDay, isWorkday, localDateOf, startOfDay, toMillis } from '../../policy/calendar';
import { jurisdictionOf } from '../../policy/policy-model';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { CredentialSetState } from '../state';
import { isLateForDeadline } from './guards';
import { validateApplication } from './validate';

/** 申请: through the party type's channel, from its opening day (docs/domain.md §1, notice §一). */
export function applyForCredentialSet(
  command: CredentialSetCommandOf<'ApplyForCredentialSet'>,
  state: CredentialSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor } = command;
  const tz = policy.timeZone;
  if (state.status !== 'NONE') {
    throw new DomainError('SET_ALREADY_EXISTS', `credential set ${state.setId} already exists (${state.status})`, {
      setId: state.setId,
    });
  }
  validateApplication(command);
  const partyType = policy.partyTypes[command.party.partyType];
  const channel = policy.channels[partyType.channel];
  requireRole(actor, channel.applyRoles, `applying through ${partyType.channel}`);
  const jurisdiction = jurisdictionOf(policy, command.party.jurisdiction);
  if (!partyType.jurisdictionLevels.includes(jurisdiction.level)) {
    throw new DomainError(
      'PARTY_TYPE_MISMATCH',
      `a ${command.party.partyType} belongs to a ${partyType.jurisdictionLevels.join(' or ')} jurisdiction; ${jurisdiction.code} is ${jurisdiction.level}`,
      { jurisdiction: jurisdiction.code, allowed: partyType.jurisdictionLevels },
    );
  }
  const opensOn = policy.calendar[partyType.applicationsOpen];
  if (!isOnOrAfterDay(at, opensOn, tz)) {
    throw new DomainError(
      'PARTY_TYPE_NOT_YET_OPEN',
      `applications from ${command.party.partyType} open on ${opensOn} (${tz}); got ${formatLocal(at, tz)}`,
      { opensOn, timeZone: tz },
    );
  }
  const day = localDateOf(at, tz);
  if (channel.workdaysOnly && !isWorkday(day, policy.workdays)) {
    throw new DomainError(
      'NOT_A_WORKDAY',
      `${partyType.channel} takes applications on workdays only; ${day} is not one (${tz})`,
      { day, timeZone: tz },
    );
  }
  const old = command.oldCredential;
  return [
    {
      type: 'CredentialSetApplied',
      at,
      actor,
      data: {
        setId: command.setId,
        party: command.party,
        kind: command.kind,
        channel: partyType.channel,
        oldCredential: old,
        // "Valid on the application day": valid at any moment of that day in the policy's zone.
        oldCredentialValidOnApplication: old === null ? null : toMillis(old.validUntil) > startOfDay(day, tz),
        firstSetOfParty: command.firstSetOfParty,
        late: isLateForDeadline(command.party.partyType, at, policy),
        policyId: policy.id,
        policyVersion: policy.version,
      },
    },
  ];
}
