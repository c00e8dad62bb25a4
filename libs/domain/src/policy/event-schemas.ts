import { z } from 'zod';
import type { EventsOf } from '../event-schema-parts';
import { policySchema } from './schema';

/**
 * The recorded shape of a policy's events, stream `policy-<policy id>` (element n - 1 is version n).
 * An amendment (a platform's stop day set by a later notice, say) is first an event here: who made
 * it, when, and the whole amended policy with its version. A workflow takes an amendment only as
 * a reference to this log (policy id and version), never as a policy sent to it.
 */
export const POLICY_EVENT_SCHEMAS = {
  PolicyAmended: [z.strictObject({ policy: policySchema })],
} as const;

export type PolicyEvent = EventsOf<typeof POLICY_EVENT_SCHEMAS>;
export type PolicyEventType = PolicyEvent['type'];
export const POLICY_EVENT_TYPES: readonly PolicyEventType[] = ['PolicyAmended'];

/** What a workflow is told of an amendment: where to find it in the log. */
export interface PolicyAmendmentRef {
  readonly policyId: string;
  readonly version: number;
}
