import { z } from 'zod';
import type { Actor } from './actor';
import { COMPONENTS } from './fees/fees';
import { isInstant } from './policy/calendar';
import { CHANNELS, FEE_KINDS, PARTY_TYPES, ROLES } from './policy/policy-model';

/**
 * The pieces event payload schemas are built from. Each event's shape is written once, here and in
 * the aggregates' `event-schemas.ts`; the TypeScript event types are inferred from those schemas.
 */

/** The TypeScript view of a recorded value: nothing in an event or a state is changed in place. */
export type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The recorded value a schema accepts, read-only. */
export type Recorded<S extends z.ZodType> = DeepReadonly<z.output<S>>;

/** Each event type's payload schemas in version order: version n is element n - 1, the last is current. */
export type SchemaVersions = Readonly<Record<string, readonly [z.ZodType, ...z.ZodType[]]>>;

type Last<T> = T extends readonly [...unknown[], infer L] ? L : never;

/** An event as the domain writes it: its current payload under `data`, with business time and actor. */
export type EventsOf<M extends SchemaVersions> = {
  [K in keyof M & string]: {
    readonly type: K;
    /** Business time: when the step took effect. */
    readonly at: string;
    readonly actor: Actor;
    readonly data: Last<M[K]> extends z.ZodType ? Recorded<Last<M[K]>> : never;
  };
}[keyof M & string];

export const instantSchema = z.string().refine(isInstant, { error: 'an ISO-8601 instant with offset' });
export const textSchema = z.string().min(1);
export const platformSchema = z.strictObject({ platform: textSchema });
export const actorSchema = z.strictObject({ id: textSchema, role: z.enum(ROLES) });
export const componentSchema = z.strictObject({
  serial: textSchema,
  issuer: textSchema,
  validFrom: instantSchema,
  validUntil: instantSchema,
});
export const feesSchema = z.array(
  z.strictObject({
    component: z.enum(COMPONENTS),
    kind: z.enum(FEE_KINDS),
    amountFen: z.number().int().min(0),
    payer: z.union([
      z.strictObject({ kind: z.literal('FINANCE'), jurisdiction: textSchema }),
      z.strictObject({ kind: z.literal('SELF'), partyId: textSchema }),
    ]),
  }),
);
export const partyRefSchema = z.strictObject({
  partyId: textSchema,
  partyType: z.enum(PARTY_TYPES),
  jurisdiction: textSchema,
  supervisingUnitId: textSchema.nullable(),
});
export const partyDetailsSchema = z.strictObject({
  partyId: textSchema,
  partyType: z.enum(PARTY_TYPES),
  name: textSchema,
  jurisdiction: textSchema,
  identifier: textSchema,
  supervisingUnitId: textSchema.nullable(),
  contact: z.strictObject({ name: textSchema, phone: textSchema }),
});
export const channelSchema = z.enum(CHANNELS);
