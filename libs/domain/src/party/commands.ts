import type { Actor } from '../actor';
import type { Instant } from '../policy/calendar';
import type { PartyDetails } from './events';

interface Step {
  readonly at: Instant;
  readonly actor: Actor;
}

/** Imperative: what staff (or the credential-set steps) ask of a party. */
export type PartyCommand =
  | (Step & { readonly type: 'RegisterParty'; readonly party: PartyDetails })
  | (Step & {
      readonly type: 'SubmitAdditionalSetFiling';
      readonly filingId: string;
      readonly additionalSets: number;
      readonly reason: string;
    })
  | (Step & { readonly type: 'ApproveAdditionalSetFiling'; readonly filingId: string })
  | (Step & { readonly type: 'RejectAdditionalSetFiling'; readonly filingId: string; readonly reason: string })
  | (Step & { readonly type: 'OpenCredentialSet'; readonly setId: string })
  | (Step & {
      readonly type: 'CloseCredentialSet';
      readonly setId: string;
      /** A set closed before it was ever issued (rejected, withdrawn) does not count as the party's first. */
      readonly everIssued: boolean;
    });

export type PartyCommandType = PartyCommand['type'];
export type PartyCommandOf<T extends PartyCommandType> = Extract<PartyCommand, { type: T }>;
