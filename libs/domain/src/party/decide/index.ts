import { DomainError, ValidationError } from '../../errors';
import { isInstant } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { PartyCommand } from '../commands';
import type { PartyEvent } from '../events';
import type { PartyState } from '../state';
import { closeCredentialSet } from './close-set';
import { approveAdditionalSetFiling, rejectAdditionalSetFiling } from './decide-filing';
import { openCredentialSet } from './open-set';
import { registerParty } from './register';
import { submitAdditionalSetFiling } from './submit-filing';

export { validateParty } from './validate-party';

/**
 * decide(command, state, policy) → events for a party: registration with validated identifiers, and
 * the one-set rule with its additional-set filings (常财购〔2023〕12号 §一(二)5; docs/domain.md §2).
 */
export function decideParty(command: PartyCommand, state: PartyState, policy: CampaignPolicy): PartyEvent[] {
  if (!isInstant(command.at)) throw new ValidationError([{ path: 'at', rule: 'an ISO-8601 instant with offset' }]);
  if (command.type === 'RegisterParty') return registerParty(command, state, policy);
  if (state.party === null) {
    throw new DomainError('PARTY_NOT_REGISTERED', `${command.type}: the party is not registered`);
  }
  switch (command.type) {
    case 'SubmitAdditionalSetFiling':
      return submitAdditionalSetFiling(command, state, policy);
    case 'ApproveAdditionalSetFiling':
      return approveAdditionalSetFiling(command, state, policy);
    case 'RejectAdditionalSetFiling':
      return rejectAdditionalSetFiling(command, state, policy);
    case 'OpenCredentialSet':
      return openCredentialSet(command, state);
    case 'CloseCredentialSet':
      return closeCredentialSet(command, state);
    default: {
      const unknown: never = command;
      throw new DomainError('INVALID_FIELD', `unknown command ${JSON.stringify(unknown)}`);
    }
  }
}
