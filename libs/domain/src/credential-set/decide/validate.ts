import { DomainError, ValidationError, type FieldIssue } from '../../errors';
import { arrayIssue, idIssue, instantIssue, issuesOf, textIssue } from '../../identifiers/grammar';
import { PARTY_TYPES } from '../../policy/policy-model';
import { addMonths, formatLocal, toMillis, type Instant } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { IssuedComponent, OldCredential } from '../events';
import { APPLICATION_KINDS } from '../vocabulary';

/** Every problem with an application or an issue's components, each naming its field. */

export function validateApplication(command: CredentialSetCommandOf<'ApplyForCredentialSet'>): void {
  const party = command.party;
  const issues: FieldIssue[] = issuesOf(
    idIssue(command.setId, 'setId'),
    idIssue(party?.partyId, 'party.partyId'),
    (PARTY_TYPES as readonly unknown[]).includes(party?.partyType)
      ? undefined
      : { path: 'party.partyType', rule: `one of ${PARTY_TYPES.join(', ')}` },
    textIssue(party?.jurisdiction, 'jurisdiction', 'party.jurisdiction'),
    party?.supervisingUnitId === null || party?.supervisingUnitId === undefined
      ? undefined
      : idIssue(party.supervisingUnitId, 'party.supervisingUnitId'),
  );
  if (!APPLICATION_KINDS.includes(command.kind))
    issues.push({ path: 'kind', rule: `one of ${APPLICATION_KINDS.map((k) => `'${k}'`).join(', ')}` });
  if (command.kind === 'REPLACEMENT' && !command.oldCredential) {
    issues.push({ path: 'oldCredential', rule: 'a replacement names the old credential it replaces' });
  }
  if (command.kind === 'NEW' && command.oldCredential) {
    issues.push({ path: 'oldCredential', rule: 'a new application has no old credential; apply for a replacement' });
  }
  const old = command.oldCredential;
  if (old) issues.push(...oldCredentialIssues(old));
  if (issues.length > 0) throw new ValidationError(issues);
}

/** An old credential's serial, expiry and platforms, each by the grammar of its kind. */
function oldCredentialIssues(old: OldCredential): FieldIssue[] {
  const platforms = arrayIssue(old.boundPlatforms, 'boundPlatforms', 'oldCredential.boundPlatforms');
  return issuesOf(
    textIssue(old.serial, 'serial', 'oldCredential.serial'),
    instantIssue(old.validUntil, 'oldCredential.validUntil'),
    platforms,
    ...(platforms
      ? []
      : old.boundPlatforms.map((p, i) => textIssue(p, 'platform', `oldCredential.boundPlatforms[${i}]`))),
  );
}

export function validateIssue(
  ca: IssuedComponent,
  seal: IssuedComponent,
  at: Instant,
  policy: CampaignPolicy,
  usedSerials: readonly string[],
): void {
  const issues: FieldIssue[] = [];
  for (const [name, c] of [
    ['ca', ca],
    ['seal', seal],
  ] as const) {
    if (!c) {
      issues.push({ path: name, rule: 'required' });
      continue;
    }
    if (!/^[A-Za-z0-9:-]{4,64}$/.test(c.serial ?? ''))
      issues.push({ path: `${name}.serial`, rule: '4-64 letters, digits, colons or hyphens' });
    if (usedSerials.includes(c.serial))
      issues.push({ path: `${name}.serial`, rule: `serial ${c.serial} was already used by this set` });
    const dates = issuesOf(
      instantIssue(c.validFrom, `${name}.validFrom`),
      instantIssue(c.validUntil, `${name}.validUntil`),
    );
    issues.push(...issuesOf(textIssue(c.issuer, 'issuer', `${name}.issuer`)), ...dates);
    if (dates.length === 0) {
      const from = toMillis(c.validFrom);
      const until = toMillis(c.validUntil);
      const longest = addMonths(from, policy.validity.months, policy.timeZone);
      if (until <= from) issues.push({ path: `${name}.validUntil`, rule: 'must be after validFrom' });
      else if (until > longest) {
        issues.push({
          path: `${name}.validUntil`,
          rule: `validity is at most ${policy.validity.months} months: until ${formatLocal(longest, policy.timeZone)}`,
        });
      } else if (until <= toMillis(at)) issues.push({ path: `${name}.validUntil`, rule: 'already past at issuance' });
    }
  }
  if (ca && seal && ca.serial === seal.serial)
    issues.push({ path: 'seal.serial', rule: 'must differ from the CA serial' });
  if (issues.length > 0) {
    const validity = issues.filter((i) => i.rule.startsWith('validity is at most'));
    if (validity.length === issues.length)
      throw new DomainError('VALIDITY_OUT_OF_RANGE', issues.map((i) => `${i.path}: ${i.rule}`).join('; '), { issues });
    throw new ValidationError(issues);
  }
}
