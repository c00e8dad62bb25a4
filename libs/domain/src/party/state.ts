import type { PartyDetails } from './events';

export type FilingStatus = 'SUBMITTED' | 'APPROVED' | 'REJECTED';

interface PartyFields {
  readonly openSets: readonly string[];
  /** Sets closed after issue: they make any later set a further one. */
  readonly closedIssuedSets: readonly string[];
  readonly filings: Readonly<Record<string, { readonly status: FilingStatus; readonly additionalSets: number }>>;
  readonly version: number;
}

/** Keyed by whether the party is registered; the JSON is the same either way (`party` is null before). */
export type UnregisteredPartyState = PartyFields & { readonly party: null };
export type RegisteredPartyState = PartyFields & { readonly party: PartyDetails };
export type PartyState = UnregisteredPartyState | RegisteredPartyState;

export const initialPartyState: PartyState = {
  party: null,
  openSets: [],
  closedIssuedSets: [],
  filings: {},
  version: 0,
};

/** One set, plus what approved filings allow (常财购〔2023〕12号 §一(二)5; docs/domain.md §2). */
export function allowedSets(state: PartyState): number {
  return 1 + Object.values(state.filings).reduce((n, f) => n + (f.status === 'APPROVED' ? f.additionalSets : 0), 0);
}
