import { requireRole, requireText } from '../../actor';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { AppliedSetState } from '../state';
import { requireStatus } from './guards';

/** 备案: finance files what was collected (or, without a collection step, what was applied for). */
function requireFileable(
  state: AppliedSetState,
  command: { readonly actor: CredentialSetEvent['actor'] },
  policy: CampaignPolicy,
): void {
  const channel = policy.channels[state.channel];
  requireStatus(state, [channel.collectRoles.length > 0 ? 'COLLECTED' : 'APPLIED'], 'filing');
  requireRole(command.actor, channel.fileRoles, 'filing');
}

export function acceptFiling(
  command: CredentialSetCommandOf<'AcceptFiling'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  requireFileable(state, command, policy);
  return [{ type: 'FilingAccepted', at: command.at, actor: command.actor, data: {} }];
}

/** A rejected set ends; the party applies again on a new set. */
export function rejectFiling(
  command: CredentialSetCommandOf<'RejectFiling'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  requireFileable(state, command, policy);
  const reason = requireText(command.reason, 'reason');
  return [{ type: 'FilingRejected', at: command.at, actor: command.actor, data: { reason } }];
}
