import type { PolicyAmendmentRef } from '@certflow/domain';
import { readPolicyAmendment, type PostgresEventStore } from '@certflow/event-store';
import type { PolicyActivities } from '@certflow/workflows';
import { classifyStoreError } from './store-failure';

/**
 * The workflows' policy activity: an amendment is taken only from the log, where it was recorded
 * with who made it and when (`recordPolicyAmendment`). What the log does not hold is null.
 */
export function createPolicyActivities({ store }: { readonly store: PostgresEventStore }): PolicyActivities {
  return {
    async policyAmendment(ref: PolicyAmendmentRef) {
      try {
        return (await readPolicyAmendment(store, ref))?.policy ?? null;
      } catch (e) {
        throw classifyStoreError(e);
      }
    },
  };
}
