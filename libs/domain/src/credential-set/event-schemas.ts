import { z } from 'zod';
import {
  channelSchema,
  componentSchema,
  feesSchema,
  instantSchema,
  partyRefSchema,
  platformSchema,
  textSchema,
} from '../event-schema-parts';
import { APPLICATION_KINDS, REISSUE_REASONS, REVOCATION_REASONS } from './vocabulary';

/**
 * The recorded shape of every credential-set event, per schema version (element n - 1 is version n;
 * the last is what the domain writes). This is the one place an event's shape is written: the
 * TypeScript types in `events.ts` are inferred from it. A change to a shape appends a version; old
 * versions stay readable.
 */

export const oldCredentialSchema = z.strictObject({
  serial: textSchema,
  validUntil: instantSchema,
  /** Platforms it is bound to when the application is made. */
  boundPlatforms: z.array(textSchema),
});

export const CREDENTIAL_SET_EVENT_SCHEMAS = {
  CredentialSetApplied: [
    z.strictObject({
      setId: textSchema,
      party: partyRefSchema,
      kind: z.enum(APPLICATION_KINDS),
      channel: channelSchema,
      oldCredential: oldCredentialSchema.nullable(),
      oldCredentialValidOnApplication: z.boolean().nullable(),
      firstSetOfParty: z.boolean(),
      /** After the party type's application deadline: taken, but reported late. */
      late: z.boolean(),
      policyId: textSchema,
      policyVersion: z.number().int().min(1),
    }),
  ],
  ApplicationCollected: [z.strictObject({ late: z.boolean() })],
  FilingAccepted: [z.strictObject({})],
  FilingRejected: [z.strictObject({ reason: textSchema })],
  CredentialSetIssued: [
    z.strictObject({
      ca: componentSchema,
      seal: componentSchema,
      validUntil: instantSchema,
      /** Issued after the completion target (原则上…前完成): late work continues and is reported. */
      late: z.boolean(),
      fees: feesSchema,
    }),
  ],
  OldCredentialUnbound: [platformSchema],
  NewCredentialBound: [platformSchema],
  OldCredentialStopped: [platformSchema],
  PlatformAccessBlocked: [platformSchema],
  PlatformAccessRestored: [platformSchema],
  CredentialSetExpired: [z.strictObject({ validUntil: instantSchema })],
  CredentialSetRenewed: [
    z.strictObject({ previousValidUntil: instantSchema, validUntil: instantSchema, fees: feesSchema }),
  ],
  CredentialSetReissued: [
    z.strictObject({
      reason: z.enum(REISSUE_REASONS),
      revokedSerials: z.array(textSchema),
      ca: componentSchema,
      seal: componentSchema,
      validUntil: instantSchema,
      fees: feesSchema,
    }),
  ],
  CredentialSetRevoked: [z.strictObject({ reason: z.enum(REVOCATION_REASONS), note: z.string().nullable() })],
} as const;
