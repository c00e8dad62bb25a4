import type { Actor, CampaignPolicy, CredentialSetCommand, PolicyAmendmentRef } from '@certflow/domain/lifecycle';

/**
 * The activities the workflows call: ports only. The worker supplies implementations
 * (`@certflow/activities`); workflows import this file with `import type`.
 */
export interface EventToAppend {
  readonly type: string;
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly data: unknown;
}

export interface AppendInput {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  /** The stream version the workflow's state stands at: the workflow is its stream's only writer. */
  readonly expectedVersion: number;
  /** `<workflow id>:<step sequence>`: a retried activity appends nothing twice. */
  readonly idempotencyKey: string;
}

export interface AppendOutcome {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly positions: readonly number[];
  readonly duplicate: boolean;
}

export interface EventActivities {
  appendEvents(input: AppendInput): Promise<AppendOutcome>;
}

export interface LaunchChunkInput {
  readonly launchId: string;
  /** Items `from` (inclusive) to `to` (exclusive) of the launch list. */
  readonly from: number;
  readonly to: number;
  readonly policy: CampaignPolicy;
  /** Business time of every item: when the launch was requested. */
  readonly at: string;
  readonly actor: Actor;
  readonly indexed: boolean;
}

export interface LaunchChunkOutcome {
  readonly launched: number;
  readonly refused: number;
}

export interface LaunchActivities {
  /**
   * Registers the chunk's parties and applies for their sets (first events appended in bulk,
   * idempotently), then starts their workflows with that state. Safe to run again.
   */
  launchChunk(input: LaunchChunkInput): Promise<LaunchChunkOutcome>;
}

/** A set's application as its party's workflow hands it over: recorded by the set as its first step. */
export interface SetApplication {
  readonly command: Extract<CredentialSetCommand, { type: 'ApplyForCredentialSet' }>;
  /** The party step that opens the slot (`party-<id>:<seq>`): tells a retried start from another set of that id. */
  readonly origin: string;
}

export interface StartCredentialSetInput {
  readonly setId: string;
  readonly policy: CampaignPolicy;
  readonly indexed: boolean;
  readonly application: SetApplication;
}

export interface CredentialSetStartActivities {
  /**
   * Starts `credential-set-<setId>` with its application, once: a retry finds its own start (same
   * origin) and succeeds; a set of that id that is not this application's fails non-retryably
   * with SET_ALREADY_EXISTS.
   */
  startCredentialSet(input: StartCredentialSetInput): Promise<void>;
}

export interface PolicyActivities {
  /** The policy as amended to `ref.version`, if the log holds that amendment (stream `policy-<id>`); else null. */
  policyAmendment(ref: PolicyAmendmentRef): Promise<CampaignPolicy | null>;
}

/** How a set ended, from its stream: its last event's time and whether it was ever issued; or never recorded at all. */
export type SetEnd =
  { readonly recorded: true; readonly at: string; readonly everIssued: boolean } | { readonly recorded: false };

export interface SetEndActivities {
  /**
   * The set's end as the log shows it: `recorded` when its stream folds to an ended set, not
   * `recorded` when it has no events (refused at its first step), null while it has not ended.
   */
  credentialSetEnd(input: { readonly setId: string }): Promise<SetEnd | null>;
}
