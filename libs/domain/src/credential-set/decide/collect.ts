import { requireRole } from '../../actor';
import { DomainError } from '../../errors';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { AppliedSetState } from '../state';
import { isLateForDeadline, requireStatus } from './guards';

/** 收集: a supervising unit collects its budget units' applications, where the channel has that step. */
export function collectApplication(
  command: CredentialSetCommandOf<'CollectApplication'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor } = command;
  const channel = policy.channels[state.channel];
  if (channel.collectRoles.length === 0) {
    throw new DomainError(
      'STEP_OUT_OF_ORDER',
      `${state.channel} applications go to finance without a collection step`,
      {
        channel: state.channel,
      },
    );
  }
  requireStatus(state, ['APPLIED'], 'collecting');
  requireRole(actor, channel.collectRoles, 'collecting applications');
  return [
    { type: 'ApplicationCollected', at, actor, data: { late: isLateForDeadline(state.party.partyType, at, policy) } },
  ];
}
