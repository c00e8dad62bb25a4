import { requireRole } from '../../actor';
import { ValidationError } from '../../errors';
import { feeItems } from '../../fees/fees';
import { startOfDay, toMillis } from '../../policy/calendar';
import { cutOverDay } from '../../policy/policy-model';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { AppliedSetState } from '../state';
import { REISSUE_REASONS } from '../vocabulary';
import { earlier, feeParty, requireNotEnded, requireStatus } from './guards';
import { validateIssue } from './validate';

/** 补办: new serials for a lost or damaged set; the previous ones are revoked and need a new binding. */
export function reissueCredentialSet(
  command: CredentialSetCommandOf<'ReissueCredentialSet'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor, ca, seal } = command;
  // Says "rejected at filing" rather than the bare status check's "needs ISSUED or EXPIRED".
  requireNotEnded(state);
  requireStatus(state, ['ISSUED', 'EXPIRED'], 'reissuing');
  requireRole(actor, policy.operationRoles.REISSUE, 'reissuing');
  const previous = [state.ca.serial, state.seal.serial];
  validateIssue(ca, seal, at, policy, [...previous, ...state.revokedSerials]);
  if (!REISSUE_REASONS.includes(command.reason)) {
    throw new ValidationError([{ path: 'reason', rule: `one of ${REISSUE_REASONS.map((r) => `'${r}'`).join(', ')}` }]);
  }
  const fees = feeItems(policy, {
    ...feeParty(state.party),
    kind: 'REISSUE',
    oldCredentialValidOnApplication: false,
    firstSetOfParty: state.firstSetOfParty,
  });
  const validUntil = earlier(ca.validUntil, seal.validUntil);
  const events: CredentialSetEvent[] = [
    {
      type: 'CredentialSetReissued',
      at,
      actor,
      data: { reason: command.reason, revokedSerials: previous, ca, seal, validUntil, fees },
    },
  ];
  // The lost certificate's binding dies with it; after the cut-over that leaves the party blocked.
  const platform = policy.targetPlatform;
  if (toMillis(at) >= startOfDay(cutOverDay(policy), policy.timeZone) && state.boundPlatforms.includes(platform)) {
    events.push({ type: 'PlatformAccessBlocked', at, actor, data: { platform } });
  }
  return events;
}
