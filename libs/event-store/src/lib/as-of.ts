import type { PostgresEventStore, StoredEvent } from './event-store';
import { categoryOf } from './streams';

/**
 * "As of" an instant, two ways, named as such:
 * - RECORDED: what the system knew then — events recorded at or before the instant;
 * - BUSINESS: what had happened by then — events whose step took effect at or before the instant,
 *   including steps recorded later (a late-entered filing, say).
 * Both fold with the domain's own `evolve`, in stream order.
 */
export type AsOfBasis = 'RECORDED' | 'BUSINESS';

export interface StateAsOf<S = unknown> {
  readonly streamId: string;
  readonly basis: AsOfBasis;
  readonly asOf: string;
  readonly state: S;
  /** Events folded. */
  readonly eventCount: number;
  readonly lastEvent: StoredEvent | null;
}

export async function stateAsOf<S = unknown>(
  store: PostgresEventStore,
  streamId: string,
  asOf: string,
  basis: AsOfBasis,
): Promise<StateAsOf<S>> {
  const category = categoryOf(streamId);
  const limit = Date.parse(asOf);
  if (Number.isNaN(limit) || !/(Z|[+-]\d{2}:\d{2})$/.test(asOf))
    throw new RangeError(`asOf: an ISO-8601 instant with offset, got ${asOf}`);
  let state = category.initial;
  let eventCount = 0;
  let lastEvent: StoredEvent | null = null;
  for await (const e of store.readStream(streamId)) {
    const t = Date.parse(basis === 'RECORDED' ? e.recordedAt : e.at);
    if (t > limit) {
      // Recorded time only grows along a stream; business time need not, so keep scanning.
      if (basis === 'RECORDED') break;
      continue;
    }
    state = category.evolve(state, { type: e.type, at: e.at, actor: e.actor, data: e.data });
    eventCount += 1;
    lastEvent = e;
  }
  return { streamId, basis, asOf: new Date(limit).toISOString(), state: state as S, eventCount, lastEvent };
}

/**
 * Every stream of the log as of an instant (a whole campaign, for an auditor): one pass over the
 * log in commit order, folding each event into its stream's state with the domain's `evolve`.
 */
export async function campaignStateAsOf(
  store: PostgresEventStore,
  asOf: string,
  basis: AsOfBasis,
): Promise<{ readonly states: Map<string, unknown>; readonly eventCount: number }> {
  const limit = Date.parse(asOf);
  if (Number.isNaN(limit) || !/(Z|[+-]\d{2}:\d{2})$/.test(asOf))
    throw new RangeError(`asOf: an ISO-8601 instant with offset, got ${asOf}`);
  const states = new Map<string, unknown>();
  let eventCount = 0;
  for await (const e of store.readAll()) {
    if (Date.parse(basis === 'RECORDED' ? e.recordedAt : e.at) > limit) continue;
    const category = categoryOf(e.streamId);
    const state = states.has(e.streamId) ? states.get(e.streamId) : category.initial;
    states.set(e.streamId, category.evolve(state, { type: e.type, at: e.at, actor: e.actor, data: e.data }));
    eventCount += 1;
  }
  return { states, eventCount };
}
