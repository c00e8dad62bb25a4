import { DomainError, ValidationError } from '../../errors';
import { idIssue } from '../../identifiers/grammar';
import type { PartyCommandOf } from '../commands';
import type { PartyEvent } from '../events';
import { allowedSets, type RegisteredPartyState } from '../state';

/**
 * Opens a set for the party: one set, more only as approved filings allow (常财购〔2023〕12号 §一(二)5;
 * docs/domain.md §2). Sets open here first, so two concurrent applications cannot both get one.
 */
export function openCredentialSet(
  command: PartyCommandOf<'OpenCredentialSet'>,
  state: RegisteredPartyState,
): PartyEvent[] {
  const { at, actor, setId } = command;
  const bad = idIssue(setId, 'setId');
  if (bad) throw new ValidationError([bad]);
  if (state.openSets.includes(setId)) {
    throw new DomainError('SET_ALREADY_EXISTS', `set ${setId} is already open for this party`, { setId });
  }
  const allowed = allowedSets(state);
  if (state.openSets.length >= allowed) {
    throw new DomainError(
      'ONE_SET_PER_PARTY',
      `party ${state.party.partyId} holds ${state.openSets.length} set(s); ${allowed} allowed (1 + ${allowed - 1} by approved filing); file 《CA数字证书办理备案表》 for more`,
      { held: state.openSets.length, allowed },
    );
  }
  const firstSetOfParty = state.openSets.length === 0 && state.closedIssuedSets.length === 0;
  return [{ type: 'CredentialSetOpened', at, actor, data: { setId, firstSetOfParty } }];
}
