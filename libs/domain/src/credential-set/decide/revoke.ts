import { requireRole, requireText } from '../../actor';
import { ValidationError } from '../../errors';
import { textIssue } from '../../identifiers/grammar';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { AppliedSetState } from '../state';
import { REVOCATION_REASONS } from '../vocabulary';
import { requireNotEnded } from './guards';

/** Finance revokes a set that has not ended; every later step is refused as SET_REVOKED. */
export function revokeCredentialSet(
  command: CredentialSetCommandOf<'RevokeCredentialSet'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor, reason, note } = command;
  requireNotEnded(state);
  requireRole(actor, policy.operationRoles.REVOKE, 'revoking');
  if (!REVOCATION_REASONS.includes(reason))
    throw new ValidationError([{ path: 'reason', rule: `one of ${REVOCATION_REASONS.join(', ')}` }]);
  if (reason === 'OTHER') requireText(note, 'note');
  else if (note !== null && note !== undefined) {
    const issue = textIssue(note, 'note', 'note', false);
    if (issue) throw new ValidationError([issue]);
  }
  return [{ type: 'CredentialSetRevoked', at, actor, data: { reason, note } }];
}
