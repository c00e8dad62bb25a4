import { ValidationError, type FieldIssue } from '../../errors';
import { checkCreditCode, checkPhone, makeResidentIdCheck } from '../../identifiers/identifiers';
import { PARTY_TYPES } from '../../policy/policy-model';
import type { CampaignPolicy } from '../../policy/schema';
import type { PartyDetails } from '../events';

/** Every problem with a party's details, each naming its field. */
export function validateParty(party: PartyDetails, policy: CampaignPolicy, today: string): void {
  const issues: FieldIssue[] = [];
  const text = (value: string | undefined, path: string) => {
    if (typeof value !== 'string' || value.trim() === '') issues.push({ path, rule: 'must not be empty' });
  };
  text(party.partyId, 'partyId');
  text(party.name, 'name');
  text(party.contact?.name, 'contact.name');
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
  const idIssue = idCheck(party.identifier ?? '', 'identifier');
  if (idIssue) issues.push(idIssue);
  const phoneIssue = checkPhone(party.contact?.phone ?? '', 'contact.phone');
  if (phoneIssue) issues.push(phoneIssue);
  if (party.partyType !== 'BUDGET_UNIT' && party.supervisingUnitId) {
    issues.push({ path: 'supervisingUnitId', rule: 'only a budget unit applies through a supervising unit' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}
