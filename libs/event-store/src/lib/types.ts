/** The event store's public shapes: what is appended, what is stored, where a reader stands. */

/** An event to append: the domain event (type, business time, actor, data) plus its lineage. */
export interface NewEvent {
  readonly type: string;
  readonly data: unknown;
  /** Business time: when the step took effect. */
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly schemaVersion?: number;
  readonly causationId?: string | null;
  readonly correlationId?: string | null;
}

export interface StoredEvent {
  readonly position: number;
  readonly txId: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly actor: { readonly id: string; readonly role: string };
  readonly causationId: string | null;
  readonly correlationId: string | null;
  /** Business time, ISO-8601 UTC. */
  readonly at: string;
  /** When the store recorded it, ISO-8601 UTC. */
  readonly recordedAt: string;
  readonly idempotencyKey: string;
  readonly partyId: string | null;
  readonly jurisdiction: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** `'no-stream'` = the stream must not exist yet; `'any'` = no check; a number = the current version. */
export type ExpectedVersion = number | 'no-stream' | 'any';

export interface AppendResult {
  readonly streamId: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly positions: readonly number[];
  readonly recordedAt: string;
  /** True when this append was a retry of an earlier one with the same key: nothing was written. */
  readonly duplicate: boolean;
}

/** A reader's place in the log: the writing transaction and the position within it. */
export interface Cursor {
  readonly txId: string;
  readonly position: number;
}

export const START: Cursor = { txId: '0', position: 0 };

export interface EventFilter {
  readonly jurisdiction?: string;
  readonly partyId?: string;
  readonly types?: readonly string[];
  readonly streamId?: string;
  /** Business-time period, inclusive of `from`, exclusive of `to`. */
  readonly from?: string;
  readonly to?: string;
}

/** One stream's append within a batch. */
export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: ExpectedVersion;
  readonly idempotencyKey: string;
}
