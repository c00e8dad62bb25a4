import { requireRole } from '../../actor';
import { DomainError } from '../../errors';
import { localDateOf } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { PartyCommandOf } from '../commands';
import type { PartyEvent } from '../events';
import type { PartyState } from '../state';
import { validateParty } from './validate-party';

export function registerParty(
  command: PartyCommandOf<'RegisterParty'>,
  state: PartyState,
  policy: CampaignPolicy,
): PartyEvent[] {
  const { at, actor } = command;
  requireRole(actor, policy.operationRoles.REGISTER_PARTY, 'registering a party');
  if (state.party !== null) {
    throw new DomainError('PARTY_ALREADY_REGISTERED', `party ${state.party.partyId} is already registered`, {
      partyId: state.party.partyId,
    });
  }
  validateParty(command.party, policy, localDateOf(at, policy.timeZone));
  return [{ type: 'PartyRegistered', at, actor, data: { party: command.party } }];
}
