import { DomainError, ValidationError } from '../../errors';
import { idIssue } from '../../identifiers/grammar';
import type { PartyCommandOf } from '../commands';
import type { PartyEvent } from '../events';
import type { RegisteredPartyState } from '../state';

/** A set that ended (rejected, revoked) frees its place; one closed after issue still counts as a set held before. */
export function closeCredentialSet(
  command: PartyCommandOf<'CloseCredentialSet'>,
  state: RegisteredPartyState,
): PartyEvent[] {
  const { at, actor, setId, everIssued } = command;
  const bad = idIssue(setId, 'setId');
  if (bad) throw new ValidationError([bad]);
  if (!state.openSets.includes(setId)) {
    throw new DomainError('STEP_OUT_OF_ORDER', `set ${setId} is not open for this party`, { setId });
  }
  return [{ type: 'CredentialSetClosed', at, actor, data: { setId, everIssued } }];
}
