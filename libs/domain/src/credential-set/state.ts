import type { Instant } from '../policy/calendar';
import type { Channel } from '../policy/policy-model';
import type { FeeItem } from '../fees/fees';
import type { IssuedComponent, OldCredential, PartyRef } from './events';
import type { ApplicationKind, RevocationReason } from './vocabulary';

/**
 * The state of one set, keyed by `status`. Every status carries every field, so the JSON is the same
 * in all of them (it is stored in read models, carried across continue-as-new and returned by the
 * API); a field a status does not have is `null` there, and its type says so.
 */

export type CredentialSetStatus =
  'NONE' | 'APPLIED' | 'COLLECTED' | 'FILED' | 'REJECTED' | 'ISSUED' | 'EXPIRED' | 'REVOKED';

export type OldCredentialState = OldCredential & {
  readonly validOnApplication: boolean;
  readonly stoppedPlatforms: readonly string[];
};

export interface Revocation {
  readonly reason: RevocationReason;
  readonly note: string | null;
}

/** What every status has. */
interface Common {
  readonly oldCredential: OldCredentialState | null;
  readonly firstSetOfParty: boolean;
  readonly late: { readonly application: boolean; readonly collection: boolean; readonly issue: boolean };
  /** Platforms the new set is bound to. */
  readonly boundPlatforms: readonly string[];
  /** Platforms the party cannot use through this set (cut-over passed, nothing new bound). */
  readonly blockedPlatforms: readonly string[];
  readonly cutOverRecorded: boolean;
  readonly revokedSerials: readonly string[];
  readonly fees: readonly FeeItem[];
  readonly renewals: number;
  /** Events folded so far: the stream version this state stands at. */
  readonly version: number;
}

interface NotApplied {
  readonly setId: null;
  readonly party: null;
  readonly kind: null;
  readonly channel: null;
  readonly appliedAt: null;
}

interface Applied {
  readonly setId: string;
  readonly party: PartyRef;
  readonly kind: ApplicationKind;
  readonly channel: Channel;
  readonly appliedAt: Instant;
}

interface NotIssued {
  readonly issuedAt: null;
  readonly ca: null;
  readonly seal: null;
  readonly validUntil: null;
}

interface Issued {
  readonly issuedAt: Instant;
  readonly ca: IssuedComponent;
  readonly seal: IssuedComponent;
  readonly validUntil: Instant;
}

interface NotEnded {
  readonly rejectionReason: null;
  readonly revocation: null;
}

export type NoSetState = Common & NotApplied & NotIssued & NotEnded & { readonly status: 'NONE' };
export type InProgressState = Common &
  Applied &
  NotIssued &
  NotEnded & { readonly status: 'APPLIED' | 'COLLECTED' | 'FILED' };
export type RejectedState = Common &
  Applied &
  NotIssued & { readonly status: 'REJECTED'; readonly rejectionReason: string; readonly revocation: null };
export type IssuedState = Common & Applied & Issued & NotEnded & { readonly status: 'ISSUED' | 'EXPIRED' };
/** Revoked before or after issue. */
export type RevokedState = Common &
  Applied &
  (NotIssued | Issued) & {
    readonly status: 'REVOKED';
    readonly rejectionReason: null;
    readonly revocation: Revocation;
  };

export type CredentialSetState = NoSetState | InProgressState | RejectedState | IssuedState | RevokedState;
/** A set someone applied for: every status but NONE. */
export type AppliedSetState = Exclude<CredentialSetState, NoSetState>;
export type CredentialSetStateIn<S extends CredentialSetStatus> = Extract<CredentialSetState, { status: S }>;

export const initialCredentialSetState: CredentialSetState = {
  status: 'NONE',
  setId: null,
  party: null,
  kind: null,
  channel: null,
  oldCredential: null,
  firstSetOfParty: false,
  late: { application: false, collection: false, issue: false },
  appliedAt: null,
  issuedAt: null,
  ca: null,
  seal: null,
  validUntil: null,
  boundPlatforms: [],
  blockedPlatforms: [],
  cutOverRecorded: false,
  revokedSerials: [],
  fees: [],
  renewals: 0,
  rejectionReason: null,
  revocation: null,
  version: 0,
};

export function isEnded(state: CredentialSetState): state is RejectedState | RevokedState {
  return state.status === 'REJECTED' || state.status === 'REVOKED';
}
