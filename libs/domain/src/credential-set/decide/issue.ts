import { requireRole } from '../../actor';
import { isOnOrBeforeDay } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import { feeItems } from '../../fees/fees';
import type { CredentialSetCommandOf } from '../commands';
import type { CredentialSetEvent } from '../events';
import type { AppliedSetState } from '../state';
import { earlier, feeParty, requireStatus } from './guards';
import { validateIssue } from './validate';

/** 签发: both components at once; the set is valid until the earlier of their expiries. */
export function issueCredentialSet(
  command: CredentialSetCommandOf<'IssueCredentialSet'>,
  state: AppliedSetState,
  policy: CampaignPolicy,
): CredentialSetEvent[] {
  const { at, actor, ca, seal } = command;
  requireStatus(state, ['FILED'], 'issuing');
  requireRole(actor, policy.operationRoles.ISSUE, 'issuing');
  validateIssue(ca, seal, at, policy, []);
  const fees = feeItems(policy, {
    ...feeParty(state.party),
    kind: state.kind === 'REPLACEMENT' ? 'REPLACEMENT' : 'NEW',
    oldCredentialValidOnApplication: state.oldCredential?.validOnApplication ?? false,
    firstSetOfParty: state.firstSetOfParty,
  });
  // Issued after the completion target (原则上…前完成): late work continues and is reported.
  const late = !isOnOrBeforeDay(at, policy.calendar.completionTarget, policy.timeZone);
  return [
    {
      type: 'CredentialSetIssued',
      at,
      actor,
      data: { ca, seal, validUntil: earlier(ca.validUntil, seal.validUntil), late, fees },
    },
  ];
}
