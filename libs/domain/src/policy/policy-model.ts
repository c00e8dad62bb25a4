import type { LocalDate } from './calendar';
import { DomainError } from '../errors';
import type { CampaignPolicy, Jurisdiction } from './schema';

// The policy's vocabulary and its readers, without the schema: what workflows need at run time.
// (Temporal evaluates workflow modules per workflow; keeping zod out of them keeps each one small.)

export const PARTY_TYPES = [
  'BUDGET_UNIT',
  'PROCUREMENT_CENTER',
  'FRAMEWORK_SUPPLIER',
  'EVALUATION_EXPERT',
  'SOCIAL_AGENCY',
] as const;
export type PartyType = (typeof PARTY_TYPES)[number];

export const ROLES = ['FINANCE_STAFF', 'SUPERVISING_UNIT', 'SERVICE_WINDOW', 'PARTY', 'SYSTEM', 'AUDITOR'] as const;
export type Role = (typeof ROLES)[number];

export const CHANNELS = ['VIA_SUPERVISING_UNIT', 'DIRECT_TO_FINANCE', 'SERVICE_WINDOW'] as const;
export type Channel = (typeof CHANNELS)[number];

export const FEE_KINDS = ['NEW', 'REPLACEMENT', 'RENEWAL', 'REISSUE'] as const;
export type FeeKind = (typeof FEE_KINDS)[number];

/** The payer table distinguishes replacement by whether the old credential was valid on the application day. */
export const PAYER_CASES = ['NEW', 'REPLACEMENT_OLD_VALID', 'REPLACEMENT_OLD_EXPIRED', 'RENEWAL', 'REISSUE'] as const;
export type PayerCase = (typeof PAYER_CASES)[number];

export const PAYERS = ['FINANCE', 'SELF'] as const;
export type PayerKind = (typeof PAYERS)[number];

export const CALENDAR_KEYS = [
  'applicationsOpen',
  'applicationDeadline',
  'supplierApplicationsOpen',
  'completionTarget',
  'additionalSetFilingsOpen',
] as const;
export type CalendarKey = (typeof CALENDAR_KEYS)[number];

export function cutOverDay(policy: CampaignPolicy): LocalDate {
  const day = policy.platforms[policy.targetPlatform]?.oldCredentialStopsOn;
  if (!day) throw new DomainError('POLICY_INVALID', `target platform ${policy.targetPlatform} has no cut-over day`);
  return day;
}

export function jurisdictionOf(policy: CampaignPolicy, jurisdictionCode: string): Jurisdiction {
  const j = policy.jurisdictions.find((x) => x.code === jurisdictionCode);
  if (!j) {
    throw new DomainError('JURISDICTION_UNKNOWN', `jurisdiction '${jurisdictionCode}' is not in policy ${policy.id}`, {
      jurisdiction: jurisdictionCode,
      known: policy.jurisdictions.map((x) => x.code),
    });
  }
  return j;
}
