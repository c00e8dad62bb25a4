import { ValidationError, type FieldIssue } from '../../errors';
import { idIssue, issuesOf, textIssue } from '../../identifiers/grammar';
import { checkCreditCode, checkPhone, makeResidentIdCheck } from '../../identifiers/identifiers';
import { PARTY_TYPES } from '../../policy/policy-model';
import type { CampaignPolicy } from '../../policy/schema';
import type { PartyDetails } from '../events';

/** Every problem with a party's details, each naming its field. */
export function validateParty(party: PartyDetails, policy: CampaignPolicy, today: string): void {
  const issues: FieldIssue[] = issuesOf(
    idIssue(party.partyId, 'partyId'),
    textIssue(party.name, 'name'),
    textIssue(party.contact?.name, 'contact.name'),
    party.supervisingUnitId === null || party.supervisingUnitId === undefined
      ? undefined
      : idIssue(party.supervisingUnitId, 'supervisingUnitId'),
  );
  const grammar = issuesOf(
    textIssue(party.jurisdiction, 'jurisdiction', 'jurisdiction', false),
    textIssue(party.identifier, 'identifier', 'identifier', false),
    textIssue(party.contact?.phone, 'contact.phone', 'contact.phone', false),
  );
  // Text outside its grammar is named once, by the grammar, not again by the identifier rules.
  if (grammar.length > 0) throw new ValidationError([...issues, ...grammar]);
  if (!PARTY_TYPES.includes(party.partyType)) {
    issues.push({ path: 'partyType', rule: `one of ${PARTY_TYPES.join(', ')}` });
    throw new ValidationError(issues);
  }
  const type = policy.partyTypes[party.partyType];
  const jurisdiction = policy.jurisdictions.find((j) => j.code === party.jurisdiction);
  if (!jurisdiction) {
    issues.push({ path: 'jurisdiction', rule: `one of ${policy.jurisdictions.map((j) => j.code).join(', ')}` });
  } else if (!type.jurisdictionLevels.includes(jurisdiction.level)) {
    issues.push({
      path: 'jurisdiction',
      rule: `a ${party.partyType} belongs to a ${type.jurisdictionLevels.join(' or ')} jurisdiction`,
    });
  }
  const idCheck = type.identifier === 'CREDIT_CODE' ? checkCreditCode : makeResidentIdCheck(today);
  const identifierIssue = idCheck(party.identifier ?? '', 'identifier');
  if (identifierIssue) issues.push(identifierIssue);
  const phoneIssue = checkPhone(party.contact?.phone ?? '', 'contact.phone');
  if (phoneIssue) issues.push(phoneIssue);
  if (party.partyType !== 'BUDGET_UNIT' && party.supervisingUnitId) {
    issues.push({ path: 'supervisingUnitId', rule: 'only a budget unit applies through a supervising unit' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}
