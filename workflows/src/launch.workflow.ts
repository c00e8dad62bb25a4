import { continueAsNew, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Actor, CampaignPolicy } from '@certflow/domain/lifecycle';
import type { LaunchActivities } from './activities';

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
    const outcome = await launchChunk({
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
