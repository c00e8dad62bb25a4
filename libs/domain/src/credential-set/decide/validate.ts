import { DomainError, ValidationError, type FieldIssue } from '../../errors';
import { addMonths, formatLocal, isInstant, toMillis, type Instant } from '../../policy/calendar';
import type { CampaignPolicy } from '../../policy/schema';
import type { CredentialSetCommandOf } from '../commands';
import type { IssuedComponent } from '../events';
import { APPLICATION_KINDS } from '../vocabulary';

/** Every problem with an application or an issue's components, each naming its field. */

export function validateApplication(command: CredentialSetCommandOf<'ApplyForCredentialSet'>): void {
  const issues: FieldIssue[] = [];
  if (!command.setId?.trim()) issues.push({ path: 'setId', rule: 'must not be empty' });
  if (!command.party?.partyId?.trim()) issues.push({ path: 'party.partyId', rule: 'must not be empty' });
  if (!APPLICATION_KINDS.includes(command.kind))
    issues.push({ path: 'kind', rule: `one of ${APPLICATION_KINDS.map((k) => `'${k}'`).join(', ')}` });
  if (command.kind === 'REPLACEMENT' && !command.oldCredential) {
    issues.push({ path: 'oldCredential', rule: 'a replacement names the old credential it replaces' });
  }
  if (command.kind === 'NEW' && command.oldCredential) {
    issues.push({ path: 'oldCredential', rule: 'a new application has no old credential; apply for a replacement' });
  }
  const old = command.oldCredential;
  if (old) {
    if (!old.serial?.trim()) issues.push({ path: 'oldCredential.serial', rule: 'must not be empty' });
    if (!isInstant(old.validUntil ?? ''))
      issues.push({ path: 'oldCredential.validUntil', rule: 'an ISO-8601 instant with offset' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
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
    if (!c.issuer?.trim()) issues.push({ path: `${name}.issuer`, rule: 'must not be empty' });
    if (!isInstant(c.validFrom ?? ''))
      issues.push({ path: `${name}.validFrom`, rule: 'an ISO-8601 instant with offset' });
    if (!isInstant(c.validUntil ?? ''))
      issues.push({ path: `${name}.validUntil`, rule: 'an ISO-8601 instant with offset' });
    if (isInstant(c.validFrom ?? '') && isInstant(c.validUntil ?? '')) {
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
