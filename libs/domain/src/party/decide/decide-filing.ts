import { requireRole, requireText, type Actor } from '../../actor';
import { DomainError, ValidationError } from '../../errors';
import { idIssue, ownEntry } from '../../identifiers/grammar';
import type { CampaignPolicy } from '../../policy/schema';
import type { PartyCommandOf } from '../commands';
import type { PartyEvent } from '../events';
import type { RegisteredPartyState } from '../state';

/** The submitted filing a decision is about; a filing is decided once. */
function submittedFiling(
  command: { readonly actor: Actor; readonly filingId: string },
  state: RegisteredPartyState,
  policy: CampaignPolicy,
) {
  requireRole(command.actor, policy.operationRoles.DECIDE_FILING, 'deciding an additional-set filing');
  const bad = idIssue(command.filingId, 'filingId');
  if (bad) throw new ValidationError([bad]);
  const filing = ownEntry(state.filings, command.filingId);
  if (!filing)
    throw new DomainError('FILING_UNKNOWN', `no filing ${command.filingId} for this party`, {
      filingId: command.filingId,
    });
  if (filing.status !== 'SUBMITTED') {
    throw new DomainError('FILING_ALREADY_DECIDED', `filing ${command.filingId} is already ${filing.status}`, {
      filingId: command.filingId,
    });
  }
  return filing;
}

export function approveAdditionalSetFiling(
  command: PartyCommandOf<'ApproveAdditionalSetFiling'>,
  state: RegisteredPartyState,
  policy: CampaignPolicy,
): PartyEvent[] {
  const { at, actor, filingId } = command;
  const filing = submittedFiling(command, state, policy);
  return [
    { type: 'AdditionalSetFilingApproved', at, actor, data: { filingId, additionalSets: filing.additionalSets } },
  ];
}

export function rejectAdditionalSetFiling(
  command: PartyCommandOf<'RejectAdditionalSetFiling'>,
  state: RegisteredPartyState,
  policy: CampaignPolicy,
): PartyEvent[] {
  const { at, actor, filingId } = command;
  submittedFiling(command, state, policy);
  return [
    {
      type: 'AdditionalSetFilingRejected',
      at,
      actor,
      data: { filingId, reason: requireText(command.reason, 'reason') },
    },
  ];
}
