import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, loadPolicy, type CampaignPolicy } from '@certflow/domain';
import {
  EventStoreError,
  readPolicyAmendment,
  recordPolicyAmendment,
  type PostgresEventStore,
} from '@certflow/event-store';
import { createEventActivities, createPolicyActivities } from '@certflow/activities';
import { amendPolicy, credentialSetState, type PolicyAmendmentSignal } from '@certflow/workflows';
import {
  applyCommand,
  campaignFromNow,
  issue,
  moveTo,
  startOf,
  startSet,
  startWorkflowTestBed,
  staff,
  step,
  supervisor,
  uniqueId,
  waitFor,
  type SetHandle,
  type WorkflowTestBed,
} from './support/time-skipping';

// A policy amendment is an event in the log (who, when, which version) before any workflow sees
// it; a set takes an amendment only as a reference to that event, read from the log.
let bed: WorkflowTestBed | undefined;
let env: TestWorkflowEnvironment;
let store: PostgresEventStore;

beforeAll(async () => {
  bed = await startWorkflowTestBed('policy_amendment', (parts) => ({
    ...createEventActivities(parts),
    ...createPolicyActivities(parts),
  }));
  ({ env, store } = bed);
});

afterAll(() => bed?.stop());

/** The same policy, one version up, with the target platform's cut-over moved by `days`. */
function movedCutOver(policy: CampaignPolicy, days: number, version = policy.version + 1): CampaignPolicy {
  const platform = policy.platforms[policy.targetPlatform]!;
  return loadPolicy({
    ...policy,
    version,
    platforms: {
      ...policy.platforms,
      [policy.targetPlatform]: { ...platform, oldCredentialStopsOn: addDays(platform.oldCredentialStopsOn!, days) },
    },
  });
}

async function issuedSet(policy: CampaignPolicy): Promise<{ h: SetHandle; setId: string }> {
  const setId = uniqueId('amended');
  const h = await startSet(env, setId, policy);
  await step(h, applyCommand(setId, true));
  await step(h, { type: 'CollectApplication', actor: supervisor });
  await step(h, { type: 'AcceptFiling', actor: staff });
  await issue(env, h, setId);
  return { h, setId };
}

describe('a policy amendment', () => {
  it('is recorded first, with who and when, and a set takes it from the log: its cut-over moves', async () => {
    const policy = await campaignFromNow(env);
    const { h, setId } = await issuedSet(policy);
    const amended = movedCutOver(policy, 7);
    const at = new Date(await env.currentTimeMs()).toISOString();
    await recordPolicyAmendment(store, amended, staff, at);
    expect(await readPolicyAmendment(store, { policyId: policy.id, version: amended.version })).toMatchObject({
      policy: amended,
      actor: staff,
      at,
    });

    // Told by reference, the set reads the amendment. What is not in the log is ignored: the policy
    // sent whole (the first releases' signal), and a version nobody recorded.
    const signal = (s: PolicyAmendmentSignal) => h.signal(amendPolicy, s);
    await signal({ policyId: policy.id, version: amended.version });
    await signal(movedCutOver(policy, 1, amended.version + 1));
    await signal({ policyId: policy.id, version: amended.version + 2 });

    const target = policy.targetPlatform;
    const cutOver = startOf(amended, amended.platforms[target]!.oldCredentialStopsOn!);
    await moveTo(env, cutOver + 60_000);
    await waitFor(async () => (await h.query(credentialSetState)).blockedPlatforms.includes(target));
    const blocked = (await store.readStreamToArray(`credential-set-${setId}`)).filter(
      (e) => e.type === 'PlatformAccessBlocked',
    );
    // Blocked at the amended cut-over: neither at the first policy's nor at the forged one's.
    expect(blocked.map((e) => Date.parse(e.at))).toEqual([cutOver]);
  });

  it('must raise the version; the same amendment again writes nothing, another under its version is refused', async () => {
    const policy = loadPolicy({ ...(await campaignFromNow(env)), id: uniqueId('policy') });
    const at = new Date(await env.currentTimeMs()).toISOString();
    const v2 = movedCutOver(policy, 3);
    const first = await recordPolicyAmendment(store, v2, staff, at);
    expect((await recordPolicyAmendment(store, v2, staff, at)).duplicate).toBe(true);
    await expect(recordPolicyAmendment(store, movedCutOver(policy, 5), staff, at)).rejects.toBeInstanceOf(
      EventStoreError,
    );
    await expect(recordPolicyAmendment(store, policy, staff, at)).rejects.toMatchObject({ code: 'POLICY_INVALID' });
    const stream = await store.readStreamToArray(`policy-${policy.id}`);
    expect(stream.map((e) => [e.type, e.streamVersion])).toEqual([['PolicyAmended', first.toVersion]]);
  });
});
