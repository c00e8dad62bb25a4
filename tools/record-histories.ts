/**
 * Records the workflow histories that test/replay replays against the current workflow code.
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/record-histories.ts
 *
 * Runs representative credential-set and party workflows on Temporal's time-skipping test server,
 * with the real event store on a throwaway embedded PostgreSQL, and writes each history to
 * test/replay/histories/<workflowId>[.run-N].json. Re-record only on purpose: a history recorded by
 * the code of the day is the proof that workflows already running keep replaying after a change.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, loadPolicy, type CampaignPolicy, type CredentialSetState, type LaunchItem } from '@certflow/domain';
import {
  createDataSource,
  migrate,
  PostgresEventStore,
  recordPolicyAmendment,
  saveLaunch,
} from '@certflow/event-store';
import { startEmbeddedPostgres } from '@certflow/postgres';
import {
  createCredentialSetStartActivities,
  createEventActivities,
  createLaunchActivities,
  createPolicyActivities,
  createSetEndActivities,
} from '@certflow/activities';
import { bundleWorkflows, createWorker, TASK_QUEUE, workspaceRoot } from '@certflow/temporal-runtime';
import {
  amendPolicy,
  applyForCredentialSet,
  campaignLaunchWorkflow,
  credentialSetApplied,
  credentialSetState,
  partyRegistered,
  partyStep,
  partyWorkflow,
  type PartyStepCommand,
  type PartyWorkflowInput,
} from '@certflow/workflows';
import type { DataSource } from 'typeorm';
import { historyToJson } from '../test/replay/history-json';
import {
  applyCommand,
  campaignFromNow,
  contact,
  issue,
  moveTo,
  registerPartyCommand,
  startOf,
  startSet,
  startTimeSkippingServer,
  staff,
  steadyClient,
  step,
  supervisor,
  type SetHandle,
} from '../test/workflows/support/time-skipping';

async function main(): Promise<void> {
  // RECORD_OUT writes elsewhere, to add a history of new code beside those of older code.
  const out = process.env['RECORD_OUT'] ?? path.join(workspaceRoot(), 'test/replay/histories');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certflow-record-'));
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: 20000 + Math.floor(Math.random() * 20000),
    database: 'postgres',
  });
  const env = await startTimeSkippingServer();
  await migrate(pg.url);
  const db = await createDataSource(pg.url, { role: 'certflow_app' }).initialize();
  const store = new PostgresEventStore(db);
  // Streams whose next append gives up once, as when the store stays away past the append's bounds.
  const failOnce = new Set<string>();
  const events = createEventActivities({ store });
  const worker = await createWorker({
    connection: env.nativeConnection,
    activities: {
      appendEvents: async (input: Parameters<typeof events.appendEvents>[0]) => {
        if (failOnce.delete(input.streamId)) {
          throw ApplicationFailure.create({ type: 'STORE_AWAY', message: 'recorded give-up', nonRetryable: true });
        }
        return events.appendEvents(input);
      },
      ...createPolicyActivities({ store }),
      ...createSetEndActivities({ store }),
      ...createLaunchActivities({ db, store, client: env.client }),
      ...createCredentialSetStartActivities({ client: env.client, store }),
    },
    bundle: await bundleWorkflows(),
  });
  const histories = new Map<string, string>();
  try {
    await worker.runUntil(async () => {
      await record(env, histories);
      await recordTrustAndRetries(env, { db, store, failOnce }, histories);
    });
    mkdirSync(out, { recursive: true });
    for (const file of readdirSync(out)) if (file.endsWith('.json')) rmSync(path.join(out, file));
    for (const [name, json] of histories) {
      writeFileSync(path.join(out, `${name}.json`), `${json}\n`);
      console.log(`recorded ${path.relative(workspaceRoot(), path.join(out, name))}.json`);
    }
  } finally {
    await env.teardown();
    await db.destroy();
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Walks the representative runs through the campaign, keeping each history as JSON by name. */
async function record(env: TestWorkflowEnvironment, histories: Map<string, string>): Promise<void> {
  const policy = await campaignFromNow(env);
  const keep = async (name: string, handle: { fetchHistory: SetHandle['fetchHistory'] }) => {
    histories.set(name, historyToJson(await handle.fetchHistory()));
  };
  const apply = (h: SetHandle, setId: string) => step(h, applyCommand(setId, true));
  const waitFor = async (h: SetHandle, check: (s: CredentialSetState) => boolean) => {
    for (let i = 0; i < 200; i++) {
      if (check(await h.query(credentialSetState))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${h.workflowId}: condition not reached`);
  };

  // A refused step: the validator rejects it, so only the application is in history.
  const refused = await startSet(env, 'refused', policy);
  await apply(refused, 'refused');
  const error = await step(refused, { type: 'AcceptFiling', actor: staff }).catch((e: unknown) => e);
  if (!(error instanceof WorkflowUpdateFailedError)) throw new Error('the out-of-order step was not refused');
  await keep('credential-set-refused', refused);

  // A set rejected at filing: it ends and its run completes (and, since the patch
  // 'tell-party-when-set-ends', tells its party that the slot is free).
  const rejected = await startSet(env, 'rejected', policy);
  await apply(rejected, 'rejected');
  await step(rejected, { type: 'CollectApplication', actor: supervisor });
  await step(rejected, { type: 'RejectFiling', actor: staff, reason: '申请表未盖公章' });
  // Poll rather than await the result: awaiting a result lets the test server skip time to the
  // next timer of the other sets.
  for (let i = 0; (await rejected.describe()).status.name !== 'COMPLETED'; i++) {
    if (i > 200) throw new Error('the rejected set did not complete');
    await new Promise((r) => setTimeout(r, 50));
  }
  await keep('credential-set-rejected', rejected);

  // Two sets through application, collection, filing and issue before the transition window.
  const full = await startSet(env, 'full', policy);
  const late = await startSet(env, 'late', policy);
  for (const [h, setId] of [
    [full, 'full'],
    [late, 'late'],
  ] as const) {
    await apply(h, setId);
    await step(h, { type: 'CollectApplication', actor: supervisor });
    await step(h, { type: 'AcceptFiling', actor: staff });
    await issue(env, h, setId);
  }

  // In the window: one set moves over; a party registers, files for more sets and opens two.
  await moveTo(env, startOf(policy, policy.calendar.transitionWindow.start) + 9 * 3_600_000);
  await step(full, { type: 'UnbindOldCredential', actor: contact, platform: 'SUCAIYUN' });
  await step(full, { type: 'BindNewCredential', actor: contact, platform: 'SUCAIYUN' });

  const party = await env.client.workflow.start(partyWorkflow, {
    workflowId: 'party-p1',
    taskQueue: TASK_QUEUE,
    args: [{ partyId: 'p1', policy }],
  });
  const partySteps: PartyStepCommand[] = [
    registerPartyCommand('p1'),
    {
      type: 'SubmitAdditionalSetFiling',
      actor: supervisor,
      filingId: 'filing-1',
      additionalSets: 1,
      reason: '两个业务科室分别使用',
    },
    { type: 'ApproveAdditionalSetFiling', actor: staff, filingId: 'filing-1' },
    { type: 'OpenCredentialSet', actor: supervisor, setId: 's1' },
    { type: 'OpenCredentialSet', actor: supervisor, setId: 's2' },
  ];
  for (const c of partySteps) await party.executeUpdate(partyStep, { args: [c] });
  await keep('party-p1', party);

  // Since durable registration and applications: a party started with its registration, which
  // opens a slot and starts its set (with the application as the set's first step) in one Update.
  const registration = { ...registerPartyCommand('p2'), at: new Date(await env.currentTimeMs()).toISOString() };
  const p2 = await env.client.workflow.start(partyWorkflow, {
    workflowId: 'party-p2',
    taskQueue: TASK_QUEUE,
    args: [{ partyId: 'p2', policy, registration: registration as PartyWorkflowInput['registration'] }],
  });
  await p2.executeUpdate(partyRegistered, { args: [] });
  const application = { setId: 'p2-a', kind: 'NEW', oldCredential: null, actor: supervisor, policy } as const;
  await p2.executeUpdate(applyForCredentialSet, { args: [application] });
  const p2a: SetHandle = env.client.workflow.getHandle('credential-set-p2-a');
  await p2a.executeUpdate(credentialSetApplied, { args: [] });
  await step(p2a, { type: 'CollectApplication', actor: supervisor });
  await keep('party-p2', p2);
  await keep('credential-set-p2-a', p2a);

  // The cut-over: the set not yet bound is blocked, then binds and is restored.
  await moveTo(env, startOf(policy, policy.platforms['SUCAIYUN']!.oldCredentialStopsOn!) + 60_000);
  await waitFor(late, (s) => s.blockedPlatforms.includes('SUCAIYUN'));
  await step(late, { type: 'BindNewCredential', actor: contact, platform: 'SUCAIYUN' });
  await keep('credential-set-late', late);

  // Expiry on its timer, then a renewal, which continues the workflow as new; then the next expiry.
  const issuedUntil = Date.parse((await full.query(credentialSetState)).validUntil!);
  await moveTo(env, issuedUntil + 1000);
  await waitFor(full, (s) => s.status === 'EXPIRED');
  const renewed = await step(full, { type: 'RenewCredentialSet', actor: staff });
  await moveTo(env, Date.parse(renewed.state.validUntil!) + 1000);
  await waitFor(full, (s) => s.status === 'EXPIRED');
  const first = env.client.workflow.getHandle(full.workflowId, full.firstExecutionRunId);
  const continued = env.client.workflow.getHandle(full.workflowId);
  if ((await continued.describe()).runId === full.firstExecutionRunId) throw new Error('the renewal did not continue');
  await keep('credential-set-full.run-1', first);
  await keep('credential-set-full.run-2', continued);
}

/**
 * Since issue 11 ('bounded-append-retries', 'retry-due-steps', 'policy-amendments-from-log',
 * 'bounded-launch-chunks'): a set that takes a policy amendment from the log and whose cut-over's
 * append gives up once, and a launch with an item refused. Kept as trust.<workflow id>.
 */
async function recordTrustAndRetries(
  env: TestWorkflowEnvironment,
  { db, store, failOnce }: { db: DataSource; store: PostgresEventStore; failOnce: Set<string> },
  histories: Map<string, string>,
): Promise<void> {
  const policy = await campaignFromNow(env);
  const now = async () => new Date(await env.currentTimeMs()).toISOString();
  const set = await startSet(env, 'amended', policy);
  await step(set, applyCommand('amended', true));
  await step(set, { type: 'CollectApplication', actor: supervisor });
  await step(set, { type: 'AcceptFiling', actor: staff });
  await issue(env, set, 'amended');
  const target = policy.platforms[policy.targetPlatform]!;
  const amended: CampaignPolicy = loadPolicy({
    ...policy,
    version: policy.version + 1,
    platforms: {
      ...policy.platforms,
      [policy.targetPlatform]: { ...target, oldCredentialStopsOn: addDays(target.oldCredentialStopsOn!, 7) },
    },
  });
  await recordPolicyAmendment(store, amended, staff, await now());
  await set.signal(amendPolicy, { policyId: amended.id, version: amended.version });
  failOnce.add('credential-set-amended');
  const cutOver = startOf(amended, amended.platforms[amended.targetPlatform]!.oldCredentialStopsOn!);
  await moveTo(env, cutOver + 1000);
  await moveTo(env, cutOver + 2 * 60_000);
  for (let i = 0; !(await set.query(credentialSetState)).blockedPlatforms.includes(policy.targetPlatform); i++) {
    if (i > 200) throw new Error('the amended cut-over was not taken again');
    await new Promise((r) => setTimeout(r, 50));
  }
  histories.set('trust.credential-set-amended', historyToJson(await set.fetchHistory()));

  // A launch of three: one party registered before, refused; the chunk is the bounded one.
  const item = (n: number): LaunchItem => ({
    party: { ...(registerPartyCommand(`lp${n}`) as { party: LaunchItem['party'] }).party, partyId: `lp${n}` },
    setId: `ls${n}`,
    kind: 'NEW',
    oldCredential: null,
  });
  const items = [item(0), item(1), item(2)];
  const at = await now();
  await store.append('party-lp1', [{ type: 'PartyRegistered', at, actor: staff, data: { party: items[1]!.party } }], {
    expectedVersion: 'no-stream',
    idempotencyKey: 'registered-before-the-launch',
  });
  await saveLaunch(db, { launchId: 'L1', policyId: policy.id, actor: staff, requestedAt: at, total: 3 }, items);
  const launch = await steadyClient(env).workflow.start(campaignLaunchWorkflow, {
    workflowId: 'launch-L1',
    taskQueue: TASK_QUEUE,
    args: [{ launchId: 'L1', total: 3, policy, at, actor: staff, chunkSize: 2 }],
  });
  const result = await launch.result();
  if (result.refused !== 1) throw new Error(`the launch refused ${result.refused} items, not 1`);
  histories.set('trust.launch-L1', historyToJson(await launch.fetchHistory()));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
