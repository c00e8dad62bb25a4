import type { FieldIssue } from '../errors';
import { daysBetween, type LocalDate } from './calendar';
import { PARTY_TYPES } from './policy-model';
import { PolicyError, policySchema, type CampaignPolicy, type Jurisdiction } from './schema';

/** Validates a parsed document (JSON) and returns the policy, or throws PolicyError naming every problem. */
export function loadPolicy(document: unknown): CampaignPolicy {
  const parsed = policySchema.safeParse(document);
  if (!parsed.success) {
    const schemaIssues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(document)',
      rule: i.message,
    }));
    // Report the cross-field problems too, where the parts they compare are well-formed.
    const seen = new Set(schemaIssues.map((i) => i.path));
    const cross = crossFieldIssues(document as CampaignPolicy).filter((i) => !seen.has(i.path));
    throw new PolicyError([...schemaIssues, ...cross]);
  }
  const issues = crossFieldIssues(parsed.data);
  if (issues.length > 0) throw new PolicyError(issues);
  return parsed.data;
}

function crossFieldIssues(p: CampaignPolicy): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // On a document the schema refused, parts may be missing or malformed: a check that cannot read
  // what it compares stops there (the schema has already named that part); what it found is kept.
  const checks = [calendarOrderIssues, targetPlatformIssues, jurisdictionTreeIssues, partyTypeIssues, reminderIssues];
  for (const check of checks) {
    try {
      check(p, issues);
    } catch {
      // skipped
    }
  }
  return issues;
}

/** `b` must come after `a` (strict) or not before it. */
function notBefore(aPath: string, a: LocalDate, bPath: string, b: LocalDate, strict: boolean): FieldIssue[] {
  const d = daysBetween(a, b);
  if (strict ? d <= 0 : d < 0) {
    return [{ path: bPath, rule: `must be ${strict ? 'after' : 'on or after'} ${aPath} (${a}), got ${b}` }];
  }
  return [];
}

function calendarOrderIssues(p: CampaignPolicy, issues: FieldIssue[]): void {
  const c = p.calendar;
  const open = ['calendar.applicationsOpen', c.applicationsOpen] as const;
  issues.push(...notBefore(...open, 'calendar.applicationDeadline', c.applicationDeadline, false));
  issues.push(...notBefore(...open, 'calendar.supplierApplicationsOpen', c.supplierApplicationsOpen, false));
  issues.push(...notBefore(...open, 'calendar.completionTarget', c.completionTarget, false));
  const window = c.transitionWindow;
  issues.push(
    ...notBefore('calendar.transitionWindow.start', window.start, 'calendar.transitionWindow.end', window.end, false),
  );
  issues.push(...notBefore(...open, 'calendar.additionalSetFilingsOpen', c.additionalSetFilingsOpen, false));
  issues.push(...notBefore(...open, 'calendar.transitionWindow.start', window.start, false));
}

function targetPlatformIssues(p: CampaignPolicy, issues: FieldIssue[]): void {
  issues.push(...targetPlatformIssue(p));
}

function targetPlatformIssue(p: CampaignPolicy): FieldIssue[] {
  const target = p.platforms[p.targetPlatform];
  if (!target) {
    return [{ path: 'targetPlatform', rule: `must name one of platforms (${Object.keys(p.platforms).join(', ')})` }];
  }
  if (!target.migratesToNewCredential) {
    return [
      { path: `platforms.${p.targetPlatform}.migratesToNewCredential`, rule: 'must be true for the target platform' },
    ];
  }
  if (target.oldCredentialStopsOn === null) {
    return [
      {
        path: `platforms.${p.targetPlatform}.oldCredentialStopsOn`,
        rule: 'the target platform needs its cut-over day',
      },
    ];
  }
  return notBefore(
    'calendar.transitionWindow.end',
    p.calendar.transitionWindow.end,
    `platforms.${p.targetPlatform}.oldCredentialStopsOn`,
    target.oldCredentialStopsOn,
    true,
  );
}

function jurisdictionTreeIssues(p: CampaignPolicy, issues: FieldIssue[]): void {
  const codes = new Map<string, number>();
  p.jurisdictions.forEach((j, i) => {
    if (codes.has(j.code)) issues.push({ path: `jurisdictions.${i}.code`, rule: `duplicate code '${j.code}'` });
    codes.set(j.code, i);
  });
  const roots = p.jurisdictions.filter((j) => j.parent === null);
  if (roots.length !== 1)
    issues.push({
      path: 'jurisdictions',
      rule: `the tree needs exactly one root (parent null), got ${roots.length}`,
    });
  p.jurisdictions.forEach((j, i) => {
    if (j.parent !== null && !codes.has(j.parent)) {
      issues.push({ path: `jurisdictions.${i}.parent`, rule: `unknown jurisdiction '${j.parent}'` });
    }
    // Walk up: a cycle never reaches the root.
    const seen = new Set<string>();
    let at: Jurisdiction | undefined = j;
    while (at && at.parent !== null && !seen.has(at.code)) {
      seen.add(at.code);
      const parentIndex = codes.get(at.parent);
      at = parentIndex === undefined ? undefined : p.jurisdictions[parentIndex];
    }
    if (at && at.parent !== null) issues.push({ path: `jurisdictions.${i}.parent`, rule: `cycle through '${j.code}'` });
  });
}

function partyTypeIssues(p: CampaignPolicy, issues: FieldIssue[]): void {
  for (const t of PARTY_TYPES) {
    const channel = p.channels[p.partyTypes[t].channel];
    if (p.partyTypes[t].jurisdictionLevels.some((level) => !p.jurisdictions.some((j) => j.level === level))) {
      issues.push({
        path: `partyTypes.${t}.jurisdictionLevels`,
        rule: 'names a level with no jurisdiction in the tree',
      });
    }
    if (channel.collectRoles.length > 0 && channel.applyRoles.length === 0) {
      issues.push({ path: `channels.${p.partyTypes[t].channel}.applyRoles`, rule: 'at least one role' });
    }
  }
}

function reminderIssues(p: CampaignPolicy, issues: FieldIssue[]): void {
  p.reminders.forEach((r, i) => {
    if (p.reminders.findIndex((o) => o.id === r.id) !== i)
      issues.push({ path: `reminders.${i}.id`, rule: `duplicate id '${r.id}'` });
  });
}
