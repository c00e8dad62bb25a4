import type { z } from 'zod';
import { CREDENTIAL_SET_EVENT_SCHEMAS } from './credential-set/event-schemas';
import type { CredentialSetEventType } from './credential-set/events';
import { actorSchema } from './event-schema-parts';
import type { SchemaVersions } from './event-schema-parts';
import { PARTY_EVENT_SCHEMAS } from './party/event-schemas';
import type { PartyEventType } from './party/events';
import { POLICY_EVENT_SCHEMAS, type PolicyEventType } from './policy/event-schemas';

/**
 * The recorded shape of every event, per schema version: what the event store accepts and what a
 * reader may rely on. The shapes are written once, in each aggregate's `event-schemas.ts`.
 */

export { CREDENTIAL_SET_EVENT_SCHEMAS } from './credential-set/event-schemas';
export { PARTY_EVENT_SCHEMAS } from './party/event-schemas';
export { POLICY_EVENT_SCHEMAS } from './policy/event-schemas';
export { actorSchema };

const byVersion = (versions: SchemaVersions) =>
  Object.fromEntries(
    Object.entries(versions).map(([type, list]) => [type, Object.fromEntries(list.map((s, i) => [i + 1, s]))]),
  );

type EventType = CredentialSetEventType | PartyEventType | PolicyEventType;

export const EVENT_PAYLOAD_SCHEMAS: Readonly<Record<EventType, Readonly<Record<number, z.ZodType>>>> = {
  ...byVersion(CREDENTIAL_SET_EVENT_SCHEMAS),
  ...byVersion(PARTY_EVENT_SCHEMAS),
  ...byVersion(POLICY_EVENT_SCHEMAS),
} as Record<EventType, Readonly<Record<number, z.ZodType>>>;

/** The newest schema version of each event type: what new events are written with. */
export function currentSchemaVersion(type: keyof typeof EVENT_PAYLOAD_SCHEMAS): number {
  return Math.max(...Object.keys(EVENT_PAYLOAD_SCHEMAS[type]).map(Number));
}
