import { failpoint } from '@certflow/application';
import type { PostgresEventStore } from '@certflow/event-store';
import type { AppendInput, AppendOutcome, EventActivities } from '@certflow/workflows';
import { classifyStoreError } from './store-failure';

/**
 * The workflows' event activity, an adapter onto the event store. Retries are safe: the
 * idempotency key makes a repeated append return the first result. A refusal the store will give
 * again (a wrong expected version, bad content) fails at once instead of retrying forever.
 */
export function createEventActivities({ store }: { readonly store: PostgresEventStore }): EventActivities {
  return {
    async appendEvents(input: AppendInput): Promise<AppendOutcome> {
      try {
        const r = await store.append(input.streamId, input.events, {
          expectedVersion: input.expectedVersion,
          idempotencyKey: input.idempotencyKey,
        });
        for (const e of input.events) failpoint(`append.after:${e.type}`); // crash drills only
        return { fromVersion: r.fromVersion, toVersion: r.toVersion, positions: r.positions, duplicate: r.duplicate };
      } catch (e) {
        throw classifyStoreError(e); // database away, timeouts: Temporal retries with backoff
      }
    },
  };
}
