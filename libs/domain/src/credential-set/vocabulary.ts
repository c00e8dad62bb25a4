/** The credential set's enumerations, zod-free: the event schemas and the decider both read them. */

export const APPLICATION_KINDS = ['NEW', 'REPLACEMENT'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

export const REISSUE_REASONS = ['LOST', 'DAMAGED'] as const;
export type ReissueReason = (typeof REISSUE_REASONS)[number];

export const REVOCATION_REASONS = ['PARTY_DISSOLVED', 'APPLICATION_WITHDRAWN', 'OTHER'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];
