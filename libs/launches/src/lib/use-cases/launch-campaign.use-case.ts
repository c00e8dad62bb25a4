import { randomUUID } from 'node:crypto';
import { checkLaunch, DomainError, planLaunchItem, type Actor, type LaunchItem } from '@certflow/domain';
import { ApplicationError } from '@certflow/application';
import { launchProgress, saveLaunch, type LaunchProgress } from '@certflow/event-store';
import { nowIso, type CampaignContext } from '@certflow/parties';
import { campaignLaunchWorkflow } from '@certflow/workflows';
import type { DataSource } from 'typeorm';

export interface CampaignLaunch {
  readonly launchId?: string;
  readonly items: readonly LaunchItem[];
}

/** At most this many item problems are named in one refusal. */
const PROBLEMS_SHOWN = 500;

/**
 * A launch: every party of the list registered and given its first set, by a workflow that
 * works through the stored list in chunks. The whole list is checked first with the same rules
 * as the single steps; one bad item refuses the request, naming each item and field.
 */
export class LaunchCampaignUseCase {
  constructor(
    private readonly ctx: CampaignContext,
    private readonly db: DataSource,
  ) {}

  async execute(actor: Actor, input: CampaignLaunch): Promise<LaunchProgress> {
    const at = nowIso(this.ctx);
    this.check(actor, at, input.items);
    const launchId = input.launchId ?? randomUUID();
    const launch = { launchId, policyId: this.ctx.policy.id, actor, requestedAt: at, total: input.items.length };
    if (!(await saveLaunch(this.db, launch, input.items))) {
      throw new ApplicationError('LAUNCH_ALREADY_EXISTS', `launch ${launchId} already exists`);
    }
    await this.ctx.client.workflow.start(campaignLaunchWorkflow, {
      workflowId: `launch-${launchId}`,
      taskQueue: this.ctx.taskQueue,
      args: [{ ...launch, policy: this.ctx.policy, at, ...(this.ctx.indexed ? { indexed: true } : {}) }],
    });
    return (await launchProgress(this.db, launchId))!;
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
