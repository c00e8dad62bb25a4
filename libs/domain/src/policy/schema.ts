import { z } from 'zod';
import { isLocalDate } from './calendar';
import { DomainError, type FieldIssue } from '../errors';
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
