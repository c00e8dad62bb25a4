// Types only from the schemas: workflow code imports this module, and must not load zod (see lifecycle.ts).
import type { componentSchema, EventsOf, partyRefSchema, Recorded } from '../event-schema-parts';
import type { CREDENTIAL_SET_EVENT_SCHEMAS, oldCredentialSchema } from './event-schemas';

/** Past tense: what happened to a set. Each shape is inferred from its schema in `event-schemas.ts`. */
export type CredentialSetEvent = EventsOf<typeof CREDENTIAL_SET_EVENT_SCHEMAS>;
export type CredentialSetEventType = CredentialSetEvent['type'];
export type CredentialSetEventOf<T extends CredentialSetEventType> = Extract<CredentialSetEvent, { type: T }>;

export type PartyRef = Recorded<typeof partyRefSchema>;
/** The credential being replaced (原国信CA和电子签章). */
export type OldCredential = Recorded<typeof oldCredentialSchema>;
/** One issued component: the CA certificate or the seal. */
export type IssuedComponent = Recorded<typeof componentSchema>;
