import { DomainError, type Actor, type CampaignPolicy, type PolicyAmendmentRef } from '@certflow/domain';
import type { PostgresEventStore } from './event-store';
import type { AppendResult } from './types';

/** A policy amendment as recorded: the amended policy, who made it and when. */
export interface RecordedPolicyAmendment {
  readonly policy: CampaignPolicy;
  readonly at: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly position: number;
}

const streamOf = (policyId: string) => `policy-${policyId}`;

/**
 * Records an amended policy (already checked with `loadPolicy`) as the next event of its stream
 * `policy-<id>`, before any workflow is told of it. Its version must be above every version
 * recorded; the same amendment again is a replay (key `policy-<id>:v<version>`, nothing written
 * twice) and another policy under a recorded version is refused (IDEMPOTENCY_CONFLICT).
 */
export async function recordPolicyAmendment(
  store: PostgresEventStore,
  policy: CampaignPolicy,
  actor: Actor,
  at: string,
): Promise<AppendResult> {
  const streamId = streamOf(policy.id);
  const recorded = await store.readStreamToArray(streamId);
  const idempotencyKey = `${streamId}:v${policy.version}`;
  const highest = Math.max(0, ...recorded.map((e) => (e.data as { policy: CampaignPolicy }).policy.version));
  // A replay is sent as the first time it was (at the stream version it was appended at).
  const earlier = recorded.find((e) => e.idempotencyKey.startsWith(`${idempotencyKey}#`));
  if (!earlier && policy.version <= highest) {
    throw new DomainError('POLICY_INVALID', `policy ${policy.id} is at version ${highest}; an amendment raises it`, {
      field: 'version',
      recorded: highest,
    });
  }
  return store.append(streamId, [{ type: 'PolicyAmended', at, actor, data: { policy } }], {
    expectedVersion: earlier ? earlier.streamVersion - 1 : recorded.length,
    idempotencyKey,
  });
}

/** The amendment the log holds for this policy and version, or null: what a workflow may take. */
export async function readPolicyAmendment(
  store: PostgresEventStore,
  ref: PolicyAmendmentRef,
): Promise<RecordedPolicyAmendment | null> {
  for (const e of await store.readStreamToArray(streamOf(ref.policyId))) {
    const { policy } = e.data as { policy: CampaignPolicy };
    if (e.type === 'PolicyAmended' && policy.id === ref.policyId && policy.version === ref.version) {
      return { policy, at: e.at, actor: e.actor, position: e.position };
    }
  }
  return null;
}
