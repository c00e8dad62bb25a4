// Types only from the schemas: workflow code imports this module, and must not load zod (see lifecycle.ts).
import type { EventsOf, partyDetailsSchema, Recorded } from '../event-schema-parts';
import type { PARTY_EVENT_SCHEMAS } from './event-schemas';

/** Past tense: what happened to a party. Each shape is inferred from its schema in `event-schemas.ts`. */
export type PartyEvent = EventsOf<typeof PARTY_EVENT_SCHEMAS>;
export type PartyEventType = PartyEvent['type'];
export type PartyEventOf<T extends PartyEventType> = Extract<PartyEvent, { type: T }>;

/** Who a party is: the unified social credit code for organisations, the resident ID number for experts. */
export type PartyDetails = Recorded<typeof partyDetailsSchema>;
