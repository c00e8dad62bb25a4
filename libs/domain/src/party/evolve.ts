import { DomainError } from '../errors';
import { ownEntry } from '../identifiers/grammar';
import type { PartyEvent, PartyEventOf, PartyEventType } from './events';
import { initialPartyState, type PartyState } from './state';

/** evolve(state, event) → state for a party; total, like the credential set's. */

type EventMap = { [T in PartyEventType]: PartyEventOf<T> };
type Evolvers = { readonly [T in PartyEventType]: (state: PartyState, event: EventMap[T]) => PartyState };

const evolvers: Evolvers = {
  PartyRegistered: (state, { data }) => ({ ...state, party: data.party }),
  AdditionalSetFilingSubmitted: (state, { data }) => ({
    ...state,
    filings: { ...state.filings, [data.filingId]: { status: 'SUBMITTED', additionalSets: data.additionalSets } },
  }),
  AdditionalSetFilingApproved: (state, { data }) => ({
    ...state,
    filings: { ...state.filings, [data.filingId]: { status: 'APPROVED', additionalSets: data.additionalSets } },
  }),
  AdditionalSetFilingRejected: (state, { data }) => {
    const filing = ownEntry(state.filings, data.filingId);
    return {
      ...state,
      filings: {
        ...state.filings,
        [data.filingId]: { status: 'REJECTED', additionalSets: filing?.additionalSets ?? 0 },
      },
    };
  },
  CredentialSetOpened: (state, { data }) => ({ ...state, openSets: [...state.openSets, data.setId] }),
  CredentialSetClosed: (state, { data }) => ({
    ...state,
    openSets: state.openSets.filter((s) => s !== data.setId),
    closedIssuedSets: data.everIssued ? [...state.closedIssuedSets, data.setId] : state.closedIssuedSets,
  }),
};

/** Every event type of a party's stream: the ones evolve folds (whose shapes `event-schemas.ts` defines). */
export const PARTY_EVENT_TYPES = Object.keys(evolvers) as readonly PartyEventType[];

export function evolveParty(state: PartyState, event: PartyEvent): PartyState {
  if (!Object.hasOwn(evolvers, event.type))
    throw new DomainError('INVALID_FIELD', `unknown event ${JSON.stringify(event)}`);
  return evolveWith({ ...state, version: state.version + 1 }, event.type, event);
}

function evolveWith<T extends PartyEventType>(state: PartyState, type: T, event: EventMap[T]): PartyState {
  return evolvers[type](state, event);
}

export function foldParty(events: readonly PartyEvent[], from = initialPartyState): PartyState {
  return events.reduce(evolveParty, from);
}
