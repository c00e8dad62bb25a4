import { z } from 'zod';
import { isInstant } from './calendar';
import type { CredentialSetEventType } from './credential-set';
import type { PartyEventType } from './party';
import { PARTY_TYPES, ROLES } from './policy-model';

/**
 * The recorded shape of every event, per schema version: what the event store accepts and what a
 * reader may rely on. A change to an event's shape adds a version here; old versions stay readable.
 */

const instant = z.string().refine(isInstant, { error: 'an ISO-8601 instant with offset' });
const text = z.string().min(1);
const platform = z.strictObject({ platform: text });
const actor = z.strictObject({ id: text, role: z.enum(ROLES) });
const component = z.strictObject({ serial: text, issuer: text, validFrom: instant, validUntil: instant });
const payer = z.union([
  z.strictObject({ kind: z.literal('FINANCE'), jurisdiction: text }),
  z.strictObject({ kind: z.literal('SELF'), partyId: text }),
]);
const fees = z.array(
  z.strictObject({
    component: z.enum(['CA', 'SEAL']),
    kind: z.enum(['NEW', 'REPLACEMENT', 'RENEWAL', 'REISSUE']),
    amountFen: z.number().int().min(0),
    payer,
  }),
);
const partyRef = z.strictObject({
  partyId: text,
  partyType: z.enum(PARTY_TYPES),
  jurisdiction: text,
  supervisingUnitId: text.nullable(),
});
const partyDetails = z.strictObject({
  partyId: text,
  partyType: z.enum(PARTY_TYPES),
  name: text,
  jurisdiction: text,
  identifier: text,
  supervisingUnitId: text.nullable(),
  contact: z.strictObject({ name: text, phone: text }),
});

export const EVENT_PAYLOAD_SCHEMAS: Readonly<
  Record<CredentialSetEventType | PartyEventType, Readonly<Record<number, z.ZodType>>>
> = {
  CredentialSetApplied: {
    1: z.strictObject({
      setId: text,
      party: partyRef,
      kind: z.enum(['NEW', 'REPLACEMENT']),
      channel: z.enum(['VIA_SUPERVISING_UNIT', 'DIRECT_TO_FINANCE', 'SERVICE_WINDOW']),
      oldCredential: z.strictObject({ serial: text, validUntil: instant, boundPlatforms: z.array(text) }).nullable(),
      oldCredentialValidOnApplication: z.boolean().nullable(),
      firstSetOfParty: z.boolean(),
      late: z.boolean(),
      policyId: text,
      policyVersion: z.number().int().min(1),
    }),
  },
  ApplicationCollected: { 1: z.strictObject({ late: z.boolean() }) },
  FilingAccepted: { 1: z.strictObject({}) },
  FilingRejected: { 1: z.strictObject({ reason: text }) },
  CredentialSetIssued: {
    1: z.strictObject({ ca: component, seal: component, validUntil: instant, late: z.boolean(), fees }),
  },
  OldCredentialUnbound: { 1: platform },
  NewCredentialBound: { 1: platform },
  OldCredentialStopped: { 1: platform },
  PlatformAccessBlocked: { 1: platform },
  PlatformAccessRestored: { 1: platform },
  CredentialSetExpired: { 1: z.strictObject({ validUntil: instant }) },
  CredentialSetRenewed: { 1: z.strictObject({ previousValidUntil: instant, validUntil: instant, fees }) },
  CredentialSetReissued: {
    1: z.strictObject({
      reason: z.enum(['LOST', 'DAMAGED']),
      revokedSerials: z.array(text),
      ca: component,
      seal: component,
      validUntil: instant,
      fees,
    }),
  },
  CredentialSetRevoked: {
    1: z.strictObject({
      reason: z.enum(['PARTY_DISSOLVED', 'APPLICATION_WITHDRAWN', 'OTHER']),
      note: z.string().nullable(),
    }),
  },
  PartyRegistered: { 1: z.strictObject({ party: partyDetails }) },
  AdditionalSetFilingSubmitted: {
    1: z.strictObject({ filingId: text, additionalSets: z.number().int().min(1), reason: text }),
  },
  AdditionalSetFilingApproved: { 1: z.strictObject({ filingId: text, additionalSets: z.number().int().min(1) }) },
  AdditionalSetFilingRejected: { 1: z.strictObject({ filingId: text, reason: text }) },
  CredentialSetOpened: { 1: z.strictObject({ setId: text, firstSetOfParty: z.boolean() }) },
  CredentialSetClosed: { 1: z.strictObject({ setId: text, everIssued: z.boolean() }) },
};

export const actorSchema = actor;

/** The newest schema version of each event type: what new events are written with. */
export function currentSchemaVersion(type: keyof typeof EVENT_PAYLOAD_SCHEMAS): number {
  return Math.max(...Object.keys(EVENT_PAYLOAD_SCHEMAS[type]).map(Number));
}
