import { z } from 'zod';
import { partyDetailsSchema, textSchema } from '../event-schema-parts';

/**
 * The recorded shape of every party event, per schema version (element n - 1 is version n; the last
 * is what the domain writes). The TypeScript types in `events.ts` are inferred from it.
 */
export const PARTY_EVENT_SCHEMAS = {
  PartyRegistered: [z.strictObject({ party: partyDetailsSchema })],
  AdditionalSetFilingSubmitted: [
    z.strictObject({ filingId: textSchema, additionalSets: z.number().int().min(1), reason: textSchema }),
  ],
  AdditionalSetFilingApproved: [z.strictObject({ filingId: textSchema, additionalSets: z.number().int().min(1) })],
  AdditionalSetFilingRejected: [z.strictObject({ filingId: textSchema, reason: textSchema })],
  CredentialSetOpened: [z.strictObject({ setId: textSchema, firstSetOfParty: z.boolean() })],
  CredentialSetClosed: [z.strictObject({ setId: textSchema, everIssued: z.boolean() })],
} as const;
