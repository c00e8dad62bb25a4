import { DomainError } from '../errors';
import type { CredentialSetEvent, CredentialSetEventOf, CredentialSetEventType } from './events';
import { initialCredentialSetState, type CredentialSetState } from './state';

/**
 * evolve(state, event) → state: the one fold of a set's events. The workflow, the API's read side and
 * the auditor's replay all use it. It is total: it folds any stream, also one no decider wrote.
 */

/** Every field with every value it takes in some status: what one evolve step reads and writes. */
type Fields = { readonly [K in keyof CredentialSetState]: CredentialSetState[K] };

type EventMap = { [T in CredentialSetEventType]: CredentialSetEventOf<T> };
type Evolvers = { readonly [T in CredentialSetEventType]: (state: Fields, event: EventMap[T]) => Fields };

const evolvers: Evolvers = {
  CredentialSetApplied: (state, { at, data: d }) => ({
    ...state,
    status: 'APPLIED',
    setId: d.setId,
    party: d.party,
    kind: d.kind,
    channel: d.channel,
    oldCredential:
      d.oldCredential === null
        ? null
        : { ...d.oldCredential, validOnApplication: d.oldCredentialValidOnApplication === true, stoppedPlatforms: [] },
    firstSetOfParty: d.firstSetOfParty,
    late: { ...state.late, application: d.late },
    appliedAt: at,
  }),
  ApplicationCollected: (state, { data }) => ({
    ...state,
    status: 'COLLECTED',
    late: { ...state.late, collection: data.late },
  }),
  FilingAccepted: (state) => ({ ...state, status: 'FILED' }),
  FilingRejected: (state, { data }) => ({ ...state, status: 'REJECTED', rejectionReason: data.reason }),
  CredentialSetIssued: (state, { at, data }) => ({
    ...state,
    status: 'ISSUED',
    ca: data.ca,
    seal: data.seal,
    validUntil: data.validUntil,
    issuedAt: at,
    late: { ...state.late, issue: data.late },
    fees: [...state.fees, ...data.fees],
  }),
  OldCredentialUnbound: (state, { data }) => ({
    ...state,
    oldCredential: state.oldCredential && {
      ...state.oldCredential,
      boundPlatforms: state.oldCredential.boundPlatforms.filter((p) => p !== data.platform),
    },
  }),
  NewCredentialBound: (state, { data }) => ({ ...state, boundPlatforms: [...state.boundPlatforms, data.platform] }),
  OldCredentialStopped: (state, { data }) => ({
    ...state,
    cutOverRecorded: true,
    oldCredential: state.oldCredential && {
      ...state.oldCredential,
      stoppedPlatforms: [...state.oldCredential.stoppedPlatforms, data.platform],
    },
  }),
  PlatformAccessBlocked: (state, { data }) => ({
    ...state,
    cutOverRecorded: true,
    boundPlatforms: state.boundPlatforms.filter((p) => p !== data.platform),
    blockedPlatforms: [...state.blockedPlatforms, data.platform],
  }),
  PlatformAccessRestored: (state, { data }) => ({
    ...state,
    blockedPlatforms: state.blockedPlatforms.filter((p) => p !== data.platform),
  }),
  CredentialSetExpired: (state) => ({ ...state, status: 'EXPIRED' }),
  CredentialSetRenewed: (state, { data }) => ({
    ...state,
    status: 'ISSUED',
    validUntil: data.validUntil,
    renewals: state.renewals + 1,
    fees: [...state.fees, ...data.fees],
  }),
  CredentialSetReissued: (state, { data }) => ({
    ...state,
    status: 'ISSUED',
    ca: data.ca,
    seal: data.seal,
    validUntil: data.validUntil,
    revokedSerials: [...state.revokedSerials, ...data.revokedSerials],
    // The new serials are not bound anywhere yet.
    boundPlatforms: [],
    fees: [...state.fees, ...data.fees],
  }),
  CredentialSetRevoked: (state, { data }) => ({
    ...state,
    status: 'REVOKED',
    revocation: { reason: data.reason, note: data.note },
  }),
};

/** Every event type of a set's stream: the ones evolve folds (whose shapes `event-schemas.ts` defines). */
export const CREDENTIAL_SET_EVENT_TYPES = Object.keys(evolvers) as readonly CredentialSetEventType[];

export function evolveCredentialSet(state: CredentialSetState, event: CredentialSetEvent): CredentialSetState {
  if (!Object.hasOwn(evolvers, event.type))
    throw new DomainError('INVALID_FIELD', `unknown event ${JSON.stringify(event)}`);
  const next = evolveWith({ ...state, version: state.version + 1 }, event.type, event);
  // The one place the status union is trusted rather than proven: the decider only emits an event in
  // the statuses it belongs to, so a stream it wrote folds to a state of the right shape.
  return next as CredentialSetState;
}

function evolveWith<T extends CredentialSetEventType>(state: Fields, type: T, event: EventMap[T]): Fields {
  return evolvers[type](state, event);
}

export function foldCredentialSet(
  events: readonly CredentialSetEvent[],
  from = initialCredentialSetState,
): CredentialSetState {
  return events.reduce(evolveCredentialSet, from);
}
