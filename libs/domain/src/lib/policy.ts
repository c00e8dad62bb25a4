import { z } from 'zod';
import { addDays, daysBetween, isLocalDate, type LocalDate } from './calendar';
import { DomainError, type FieldIssue } from './errors';
import {
  PARTY_TYPES,
  ROLES,
  CHANNELS,
  FEE_KINDS,
  PAYER_CASES,
  PAYERS,
  CALENDAR_KEYS,
  type PartyType,
  type Channel,
  type FeeKind,
  type PayerCase,
} from './policy-model';

export * from './policy-model';

/**
 * A campaign policy is data: one document per campaign (city, year), validated on load. Code reads
 * rules only from here, so the next campaign is a new document, not a code change.
 */

const localDate = z
  .string({ error: 'a calendar day YYYY-MM-DD' })
  .refine(isLocalDate, { error: 'a calendar day YYYY-MM-DD' });
const fen = z
  .number({ error: 'integer fen >= 0' })
  .int({ error: 'integer fen >= 0' })
  .min(0, { error: 'integer fen >= 0' });
const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'a code of letters, digits, _ . -' });
const text = z.string().trim().min(1, { error: 'must not be empty' });
const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'an IANA time zone such as Asia/Shanghai' },
);
const roleList = z.array(z.enum(ROLES)).refine((r) => new Set(r).size === r.length, { error: 'roles must be unique' });
const payer = z.enum(PAYERS, { error: "'FINANCE' or 'SELF'" });

const payerCell = z.strictObject({
  /** Who pays for a party's first set and for any further set (they differ only for experts in 2023). */
  firstSet: payer,
  furtherSets: payer,
  /** NOTICE: the notice says so; POLICY_DEFAULT: the notice is silent and this campaign chose. */
  basis: z.enum(['NOTICE', 'POLICY_DEFAULT']),
  note: z.string().optional(),
});

const componentFees = z.strictObject({ ca: fen, seal: fen });

const reminderSchema = z.strictObject({
  id: code,
  anchor: z.enum([
    'APPLICATION_DEADLINE',
    'COMPLETION_TARGET',
    'TRANSITION_START',
    'TRANSITION_END',
    'CUT_OVER',
    'EXPIRY',
  ]),
  /** Days relative to the anchor day: -3 is three days before, 0 the anchor day itself. */
  offsetDays: z.number().int({ error: 'a whole number of days' }),
  /** Only while this holds for the set; a reminder whose step is done is cancelled, not sent. */
  condition: z.enum(['NOT_FILED', 'NOT_ISSUED', 'ISSUED_NOT_BOUND', 'BLOCKED', 'NOT_RENEWED']),
  recipients: z.array(z.enum(['PARTY', 'SUPERVISING_UNIT', 'FINANCE'])).min(1, { error: 'at least one recipient' }),
  /** For expiry reminders: the finance department is told only where finance pays the renewal. */
  financeOnlyWhenFinancePays: z.boolean().default(false),
  partyTypes: z.array(z.enum(PARTY_TYPES)).optional(),
  template: text,
});

const jurisdictionSchema = z.strictObject({
  code,
  name: text,
  level: z.enum(['CITY', 'DISTRICT']),
  parent: code.nullable(),
  financeDepartment: text,
});

const platformSchema = z.strictObject({
  name: text,
  /** True for the platform the campaign moves to the new credential. */
  migratesToNewCredential: z.boolean(),
  /** The day the old credential stops working there; null while a later notice has not set it. */
  oldCredentialStopsOn: localDate.nullable(),
});

const channelSchema = z.strictObject({
  description: text,
  /** Who may record an application arriving through this channel. */
  applyRoles: roleList.min(1, { error: 'at least one role' }),
  /** Who collects applications before they go to finance; empty when the channel has no collection step. */
  collectRoles: roleList,
  /** Who accepts or rejects the filing. */
  fileRoles: roleList.min(1, { error: 'at least one role' }),
  workdaysOnly: z.boolean(),
  location: z.string().optional(),
});

const partyTypeSchema = z.strictObject({
  name: text,
  channel: z.enum(CHANNELS),
  jurisdictionLevels: z.array(z.enum(['CITY', 'DISTRICT'])).min(1, { error: 'at least one level' }),
  identifier: z.enum(['CREDIT_CODE', 'RESIDENT_ID']),
  applicationsOpen: z.enum(CALENDAR_KEYS),
  /** Applications after this day are still taken but flagged late; null when the notice sets none. */
  applicationDeadline: z.enum(CALENDAR_KEYS).nullable(),
  basis: z.enum(['NOTICE', 'POLICY_DEFAULT']),
  note: z.string().optional(),
});

const byPartyType = <T extends z.ZodType>(schema: T) =>
  z.strictObject(Object.fromEntries(PARTY_TYPES.map((t) => [t, schema])) as Record<PartyType, T>);

export const policySchema = z.strictObject({
  schemaVersion: z.literal(1, { error: 'schemaVersion 1 is the only one this code knows' }),
  id: code,
  /** Amendments (e.g. a platform's stop date set by a later notice) raise the version. */
  version: z.number().int().min(1),
  name: text,
  reference: text,
  issuedBy: text,
  issuedOn: localDate,
  timeZone,
  rebasedFrom: z.strictObject({ policyId: code, shiftDays: z.number().int() }).optional(),
  jurisdictions: z.array(jurisdictionSchema).min(1, { error: 'at least one jurisdiction' }),
  workdays: z.strictObject({
    weekdays: z.array(z.number().int().min(1).max(7, { error: 'ISO weekday 1..7' })).min(1),
    holidays: z.array(localDate),
    adjustedWorkdays: z.array(localDate),
  }),
  calendar: z.strictObject({
    applicationsOpen: localDate,
    applicationDeadline: localDate,
    supplierApplicationsOpen: localDate,
    completionTarget: localDate,
    transitionWindow: z.strictObject({ start: localDate, end: localDate }),
    additionalSetFilingsOpen: localDate,
  }),
  targetPlatform: code,
  platforms: z.record(code, platformSchema),
  channels: z.strictObject(
    Object.fromEntries(CHANNELS.map((c) => [c, channelSchema])) as Record<Channel, typeof channelSchema>,
  ),
  partyTypes: byPartyType(partyTypeSchema),
  /** Who may take the steps after filing; the cut-over and expiry are the system's own. */
  operationRoles: z.strictObject({
    ISSUE: roleList.min(1, { error: 'at least one role' }),
    UNBIND_OLD: roleList.min(1, { error: 'at least one role' }),
    BIND_NEW: roleList.min(1, { error: 'at least one role' }),
    RENEW: roleList.min(1, { error: 'at least one role' }),
    REISSUE: roleList.min(1, { error: 'at least one role' }),
    REVOKE: roleList.min(1, { error: 'at least one role' }),
    REGISTER_PARTY: roleList.min(1, { error: 'at least one role' }),
    SUBMIT_FILING: roleList.min(1, { error: 'at least one role' }),
    DECIDE_FILING: roleList.min(1, { error: 'at least one role' }),
  }),
  validity: z.strictObject({ months: z.number().int().min(1).max(120) }),
  renewal: z.strictObject({
    windowDaysBeforeExpiry: z.number().int().min(0).max(366),
    extendsByMonths: z.number().int().min(1).max(120),
  }),
  fees: z.strictObject(
    Object.fromEntries(FEE_KINDS.map((k) => [k, componentFees])) as Record<FeeKind, typeof componentFees>,
  ),
  payers: byPartyType(
    z.strictObject(Object.fromEntries(PAYER_CASES.map((c) => [c, payerCell])) as Record<PayerCase, typeof payerCell>),
  ),
  reminders: z.array(reminderSchema),
});

export type CampaignPolicy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type Jurisdiction = CampaignPolicy['jurisdictions'][number];
export type ReminderRule = CampaignPolicy['reminders'][number];
export type Operation = keyof CampaignPolicy['operationRoles'];
export type PayerCell = CampaignPolicy['payers'][PartyType][PayerCase];

/** A policy document the schema or the cross-field rules refuse, with every problem. */
export class PolicyError extends DomainError {
  constructor(readonly issues: readonly FieldIssue[]) {
    super('POLICY_INVALID', issues.map((i) => `${i.path}: ${i.rule}`).join('; '), { issues });
  }
}

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
  // what it compares is skipped (the schema has already named that part).
  const guard = (check: () => void) => {
    try {
      check();
    } catch {
      // skipped
    }
  };
  const beforeUnguarded = (aPath: string, a: LocalDate, bPath: string, b: LocalDate, strict: boolean) => {
    const d = daysBetween(a, b);
    if (strict ? d <= 0 : d < 0) {
      issues.push({ path: bPath, rule: `must be ${strict ? 'after' : 'on or after'} ${aPath} (${a}), got ${b}` });
    }
  };
  guard(() => {
    const c = p.calendar;
    const before = beforeUnguarded;
    before(
      'calendar.applicationsOpen',
      c.applicationsOpen,
      'calendar.applicationDeadline',
      c.applicationDeadline,
      false,
    );
    before(
      'calendar.applicationsOpen',
      c.applicationsOpen,
      'calendar.supplierApplicationsOpen',
      c.supplierApplicationsOpen,
      false,
    );
    before('calendar.applicationsOpen', c.applicationsOpen, 'calendar.completionTarget', c.completionTarget, false);
    before(
      'calendar.transitionWindow.start',
      c.transitionWindow.start,
      'calendar.transitionWindow.end',
      c.transitionWindow.end,
      false,
    );
    before(
      'calendar.applicationsOpen',
      c.applicationsOpen,
      'calendar.additionalSetFilingsOpen',
      c.additionalSetFilingsOpen,
      false,
    );
    before(
      'calendar.applicationsOpen',
      c.applicationsOpen,
      'calendar.transitionWindow.start',
      c.transitionWindow.start,
      false,
    );
  });
  guard(() => {
    const target = p.platforms[p.targetPlatform];
    if (!target) {
      issues.push({
        path: 'targetPlatform',
        rule: `must name one of platforms (${Object.keys(p.platforms).join(', ')})`,
      });
    } else if (!target.migratesToNewCredential) {
      issues.push({
        path: `platforms.${p.targetPlatform}.migratesToNewCredential`,
        rule: 'must be true for the target platform',
      });
    } else if (target.oldCredentialStopsOn === null) {
      issues.push({
        path: `platforms.${p.targetPlatform}.oldCredentialStopsOn`,
        rule: 'the target platform needs its cut-over day',
      });
    } else {
      beforeUnguarded(
        'calendar.transitionWindow.end',
        p.calendar.transitionWindow.end,
        `platforms.${p.targetPlatform}.oldCredentialStopsOn`,
        target.oldCredentialStopsOn,
        true,
      );
    }
  });
  guard(() => {
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
      if (at && at.parent !== null)
        issues.push({ path: `jurisdictions.${i}.parent`, rule: `cycle through '${j.code}'` });
    });
  });
  guard(() => {
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
  });
  guard(() => {
    p.reminders.forEach((r, i) => {
      if (p.reminders.findIndex((o) => o.id === r.id) !== i)
        issues.push({ path: `reminders.${i}.id`, rule: `duplicate id '${r.id}'` });
    });
  });
  return issues;
}

// ---- Reading a policy ------------------------------------------------------------------------

/**
 * A later notice sets the day the old credential stops on a platform (e.g. CZ_PROCUREMENT):
 * the amended policy is a new version of the same campaign.
 */
export function setPlatformStopDay(policy: CampaignPolicy, platform: string, day: LocalDate): CampaignPolicy {
  if (!Object.hasOwn(policy.platforms, platform)) {
    throw new PolicyError([
      { path: `platforms.${platform}`, rule: `unknown platform; known: ${Object.keys(policy.platforms).join(', ')}` },
    ]);
  }
  return loadPolicy({
    ...policy,
    version: policy.version + 1,
    platforms: { ...policy.platforms, [platform]: { ...policy.platforms[platform], oldCredentialStopsOn: day } },
  });
}

// ---- Rebasing --------------------------------------------------------------------------------

/**
 * Shifts the whole calendar so that the campaign opens on the day nearest `startOn` (on or before it
 * by default, so the rehearsal is already open that day; or on or after it) that falls on the same
 * weekday as the original opening. Shifting by whole weeks keeps every interval and every weekday
 * rule (suppliers apply on workdays); holidays move with the calendar, so the rehearsal has the
 * same workday pattern as the original. The result is a different campaign id.
 */
export function rebasePolicy(
  policy: CampaignPolicy,
  startOn: LocalDate,
  align: 'onOrBefore' | 'onOrAfter' = 'onOrBefore',
): CampaignPolicy {
  if (!isLocalDate(startOn)) throw new PolicyError([{ path: 'startOn', rule: 'a calendar day YYYY-MM-DD' }]);
  const raw = daysBetween(policy.calendar.applicationsOpen, startOn);
  const shift = (align === 'onOrBefore' ? Math.floor(raw / 7) : Math.ceil(raw / 7)) * 7;
  const move = (d: LocalDate) => addDays(d, shift);
  const c = policy.calendar;
  const origin = policy.rebasedFrom ?? { policyId: policy.id, shiftDays: 0 };
  return loadPolicy({
    ...policy,
    id: `${origin.policyId}.rehearsal-${move(c.applicationsOpen)}`,
    rebasedFrom: { policyId: origin.policyId, shiftDays: origin.shiftDays + shift },
    issuedOn: move(policy.issuedOn),
    workdays: {
      ...policy.workdays,
      holidays: policy.workdays.holidays.map(move),
      adjustedWorkdays: policy.workdays.adjustedWorkdays.map(move),
    },
    calendar: {
      applicationsOpen: move(c.applicationsOpen),
      applicationDeadline: move(c.applicationDeadline),
      supplierApplicationsOpen: move(c.supplierApplicationsOpen),
      completionTarget: move(c.completionTarget),
      transitionWindow: { start: move(c.transitionWindow.start), end: move(c.transitionWindow.end) },
      additionalSetFilingsOpen: move(c.additionalSetFilingsOpen),
    },
    platforms: Object.fromEntries(
      Object.entries(policy.platforms).map(([k, v]) => [
        k,
        { ...v, oldCredentialStopsOn: v.oldCredentialStopsOn === null ? null : move(v.oldCredentialStopsOn) },
      ]),
    ),
  });
}
