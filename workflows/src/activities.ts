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
