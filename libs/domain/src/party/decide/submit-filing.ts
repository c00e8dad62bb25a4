import { requireRole } from '../../actor';
import { DomainError, ValidationError, type FieldIssue } from '../../errors';
import { idIssue, issuesOf, MAX_ADDITIONAL_SETS, ownEntry, textIssue } from '../../identifiers/grammar';
import { formatLocal, isOnOrAfterDay } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { PartyCommandOf } from '../commands';
import type { PartyEvent } from '../events';
import type { RegisteredPartyState } from '../state';

/** 《CA数字证书办理备案表》 (附件3): asks for sets beyond the first, from the day filings open. */
export function submitAdditionalSetFiling(
  command: PartyCommandOf<'SubmitAdditionalSetFiling'>,
  state: RegisteredPartyState,
  policy: CampaignPolicy,
): PartyEvent[] {
  const { at, actor } = command;
  requireRole(actor, policy.operationRoles.SUBMIT_FILING, 'submitting an additional-set filing');
  const opens = policy.calendar.additionalSetFilingsOpen;
  if (!isOnOrAfterDay(at, opens, policy.timeZone)) {
    throw new DomainError(
      'FILING_NOT_OPEN',
      `additional-set filings are accepted from ${opens} (${policy.timeZone}); got ${formatLocal(at, policy.timeZone)}`,
      { opensOn: opens, timeZone: policy.timeZone },
    );
  }
  const issues: FieldIssue[] = issuesOf(idIssue(command.filingId, 'filingId'));
  if (issues.length === 0 && ownEntry(state.filings, command.filingId))
    issues.push({ path: 'filingId', rule: `filing ${command.filingId} already exists` });
  const sets = command.additionalSets;
  if (!Number.isInteger(sets) || sets < 1 || sets > MAX_ADDITIONAL_SETS) {
    issues.push({ path: 'additionalSets', rule: `an integer from 1 to ${MAX_ADDITIONAL_SETS}` });
  }
  issues.push(...issuesOf(textIssue(command.reason, 'reason')));
  if (issues.length > 0) throw new ValidationError(issues);
  const data = { filingId: command.filingId, additionalSets: command.additionalSets, reason: command.reason.trim() };
  return [{ type: 'AdditionalSetFilingSubmitted', at, actor, data }];
}
