import {
  continueAsNew,
  defineQuery,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { Actor, CampaignPolicy } from '@certflow/domain/lifecycle';
import type { LaunchActivities, LaunchChunkInput, LaunchChunkOutcome } from './activities';

export interface LaunchWorkflowInput {
  readonly launchId: string;
  readonly total: number;
  readonly policy: CampaignPolicy;
  readonly at: string;
  readonly actor: Actor;
  readonly indexed?: boolean;
  readonly chunkSize?: number;
  /** Carried across continue-as-new. */
  readonly carried?: { readonly next: number; readonly launched: number; readonly refused: number };
}

export interface LaunchStatus {
  readonly total: number;
  readonly next: number;
  readonly launched: number;
  readonly refused: number;
}

export const launchStatus = defineQuery<LaunchStatus>('launchStatus');

const { launchChunk } = proxyActivities<LaunchActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * Since 'bounded-launch-chunks' (issue 11): a chunk's activity gives up after 30 minutes or 20
 * attempts. An item that cannot succeed is refused inside the chunk with its rule, so what gives
 * up is the whole chunk (PostgreSQL or Temporal away): the launch waits, one minute doubling up to
 * an hour, and takes the chunk again (it repeats safely). The launch never fails for it.
 */
export const LAUNCH_CHUNK_LIMITS = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 20 },
} as const;
export const LAUNCH_CHUNK_RETRY = { firstMs: 60_000, maxMs: 3_600_000 } as const;

const bounded = proxyActivities<LaunchActivities>(LAUNCH_CHUNK_LIMITS);

async function takeChunk(input: LaunchChunkInput): Promise<LaunchChunkOutcome> {
  if (!patched('bounded-launch-chunks')) return launchChunk(input);
  for (let failures = 0; ; failures += 1) {
    try {
      return await bounded.launchChunk(input);
    } catch (e) {
      if (isCancellation(e)) throw e;
      const wait = Math.min(LAUNCH_CHUNK_RETRY.firstMs * 2 ** failures, LAUNCH_CHUNK_RETRY.maxMs);
      log.warn('a launch chunk gave up; taking it again later', { from: input.from, retryInMs: wait });
      await sleep(wait);
    }
  }
}

/** Chunks per run before continuing as new: each carries the policy, so history stays small. */
const CHUNKS_PER_RUN = 100;

/**
 * A campaign launch, id `launch-<launchId>`: works through the stored list chunk by chunk. Each
 * chunk is one activity that is safe to repeat, so a worker killed mid-launch loses nothing and
 * starts nothing twice; the launch resumes at the chunk it was in.
 */
export async function campaignLaunchWorkflow(input: LaunchWorkflowInput): Promise<LaunchStatus> {
  const chunkSize = input.chunkSize ?? 500;
  let { next, launched, refused } = input.carried ?? { next: 0, launched: 0, refused: 0 };
  setHandler(launchStatus, () => ({ total: input.total, next, launched, refused }));
  for (let chunks = 0; next < input.total; chunks += 1) {
    if (chunks >= CHUNKS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof campaignLaunchWorkflow>({ ...input, carried: { next, launched, refused } });
    }
    const to = Math.min(next + chunkSize, input.total);
    const outcome = await takeChunk({
      launchId: input.launchId,
      from: next,
      to,
      policy: input.policy,
      at: input.at,
      actor: input.actor,
      indexed: input.indexed ?? false,
    });
    launched += outcome.launched;
    refused += outcome.refused;
    next = to;
  }
  return { total: input.total, next, launched, refused };
}
