import { foldCredentialSet, isEnded, type CredentialSetEvent } from '@certflow/domain';
import type { PostgresEventStore } from '@certflow/event-store';
import type { SetEnd, SetEndActivities } from '@certflow/workflows';
import { classifyStoreError } from './store-failure';

/**
 * What a party's workflow checks before it closes a set's slot on the set's end signal: the end
 * as the set's stream records it (the signal's own word is not taken; anyone who reaches the
 * Temporal frontend can send it).
 */
export function createSetEndActivities({ store }: { readonly store: PostgresEventStore }): SetEndActivities {
  return {
    async credentialSetEnd({ setId }): Promise<SetEnd | null> {
      try {
        const events = await store.readStreamToArray(`credential-set-${setId}`);
        return setEndOf(events.map(({ type, at, actor, data }) => ({ type, at, actor, data }) as CredentialSetEvent));
      } catch (e) {
        throw classifyStoreError(e);
      }
    },
  };
}

/** The end a set's events show: none recorded (never came to be), ended, or null (it lives on). */
export function setEndOf(events: readonly CredentialSetEvent[]): SetEnd | null {
  if (events.length === 0) return { recorded: false };
  const state = foldCredentialSet(events);
  if (!isEnded(state)) return null;
  return { recorded: true, at: events.at(-1)!.at, everIssued: state.issuedAt !== null };
}
