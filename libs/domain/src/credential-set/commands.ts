import type { Actor } from '../actor';
import type { Instant } from '../policy/calendar';
import type { IssuedComponent, OldCredential, PartyRef } from './events';
import type { ApplicationKind, ReissueReason, RevocationReason } from './vocabulary';

/** Imperative: what someone (or the system) asks of a set. Time and actor come with the command. */

interface Step {
  readonly at: Instant;
  readonly actor: Actor;
}

export type CredentialSetCommand =
  | (Step & {
      readonly type: 'ApplyForCredentialSet';
      readonly setId: string;
      readonly party: PartyRef;
      readonly kind: ApplicationKind;
      readonly oldCredential: OldCredential | null;
      /** Decided by the party's own rules (see party/): no other set before this one. */
      readonly firstSetOfParty: boolean;
    })
  | (Step & { readonly type: 'CollectApplication' })
  | (Step & { readonly type: 'AcceptFiling' })
  | (Step & { readonly type: 'RejectFiling'; readonly reason: string })
  | (Step & { readonly type: 'IssueCredentialSet'; readonly ca: IssuedComponent; readonly seal: IssuedComponent })
  | (Step & { readonly type: 'UnbindOldCredential'; readonly platform: string })
  | (Step & { readonly type: 'BindNewCredential'; readonly platform: string })
  | (Step & { readonly type: 'RecordCutOver' })
  | (Step & { readonly type: 'ExpireCredentialSet' })
  | (Step & { readonly type: 'RenewCredentialSet' })
  | (Step & {
      readonly type: 'ReissueCredentialSet';
      readonly reason: ReissueReason;
      readonly ca: IssuedComponent;
      readonly seal: IssuedComponent;
    })
  | (Step & { readonly type: 'RevokeCredentialSet'; readonly reason: RevocationReason; readonly note: string | null });

export type CredentialSetCommandType = CredentialSetCommand['type'];
export type CredentialSetCommandOf<T extends CredentialSetCommandType> = Extract<CredentialSetCommand, { type: T }>;
