import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { checkLaunch, DomainError, planLaunchItem, type Actor, type LaunchItem } from '@certflow/domain';
import { ApplicationError, failpoint } from '@certflow/application';
import { launchProgress, saveLaunch, type LaunchProgress, type LaunchRecord } from '@certflow/event-store';
import { launchIdFromContent, launchIdFromKey } from '@certflow/idempotency';
import { nowIso, type CampaignContext } from '@certflow/parties';
import { campaignLaunchWorkflow } from '@certflow/workflows';
import type { DataSource } from 'typeorm';

export interface CampaignLaunch {
  /** The client's id; else derived from the Idempotency-Key, else from the request itself. */
  readonly launchId?: string;
  readonly items: readonly LaunchItem[];
}

/** A launch as stored, with the actor who asked for it. */
type Launch = Omit<LaunchRecord, 'actor'> & { readonly actor: Actor };

/** At most this many item problems are named in one refusal. */
const PROBLEMS_SHOWN = 500;

/**
 * A launch: every party of the list registered and given its first set, by a workflow that
 * works through the stored list in chunks. The whole list is checked first with the same rules
 * as the single steps; one bad item refuses the request, naming each item and field.
 * The launch's id is the client's, or derived from the Idempotency-Key, or from the request itself
 * (actor, policy, list), so a retry whose first attempt stored the list but lost its answer (a crash
 * before the workflow started) goes on with that launch: no launch is left stored and never started.
 */
export class LaunchCampaignUseCase {
  constructor(
    private readonly ctx: CampaignContext,
    private readonly db: DataSource,
  ) {}

  async execute(actor: Actor, input: CampaignLaunch, idempotencyKey?: string): Promise<LaunchProgress> {
    const at = nowIso(this.ctx);
    this.check(actor, at, input.items);
    const launchId =
      input.launchId ??
      (idempotencyKey === undefined
        ? launchIdFromContent(`${actor.id}:${actor.role}`, this.ctx.policy.id, input.items)
        : launchIdFromKey(idempotencyKey));
    const launch = { launchId, policyId: this.ctx.policy.id, actor, requestedAt: at, total: input.items.length };
    const stored = (await saveLaunch(this.db, launch, input.items)) ? launch : await this.sameLaunch(launch);
    failpoint('launch.after-save');
    await this.start(stored);
    return (await launchProgress(this.db, launchId))!;
  }

  /**
   * The launch stored under this id by an earlier attempt of the same request (same actor, policy and
   * size; a keyed request's body was compared by the key's gate, a derived id names its content);
   * else 409.
   */
  private async sameLaunch(launch: Launch): Promise<Launch> {
    const stored = await launchProgress(this.db, launch.launchId);
    const same =
      stored !== null &&
      stored.policyId === launch.policyId &&
      stored.total === launch.total &&
      stored.actor.id === launch.actor.id &&
      stored.actor.role === launch.actor.role;
    if (!same) throw new ApplicationError('LAUNCH_ALREADY_EXISTS', `launch ${launch.launchId} already exists`);
    return { ...launch, requestedAt: stored.requestedAt };
  }

  /** Starts the launch's workflow once: a launch id never runs twice, even after its workflow closed. */
  private async start(launch: Launch): Promise<void> {
    await this.ctx.client.workflow
      .start(campaignLaunchWorkflow, {
        workflowId: `launch-${launch.launchId}`,
        taskQueue: this.ctx.taskQueue,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [
          {
            ...launch,
            policy: this.ctx.policy,
            at: launch.requestedAt,
            ...(this.ctx.indexed ? { indexed: true } : {}),
          },
        ],
      })
      .catch((e: unknown) => {
        if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
      });
  }

  private check(actor: Actor, at: string, items: readonly LaunchItem[]): void {
    const [first] = items;
    // A role that may not take the steps at all is refused once, not as a problem per item.
    if (first) {
      try {
        planLaunchItem(first, at, actor, this.ctx.policy);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'ROLE_NOT_ALLOWED') throw e;
      }
    }
    const issues = checkLaunch(items, at, actor, this.ctx.policy);
    if (issues.length > 0) {
      throw new ApplicationError(
        'INVALID_FIELD',
        `${issues.length} problem(s) in the launch list`,
        issues.slice(0, PROBLEMS_SHOWN),
      );
    }
  }
}
