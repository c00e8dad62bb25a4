import { notFound } from '@certflow/application';
import { launchProgress, refusedLaunchItems, type LaunchProgress } from '@certflow/event-store';
import type { CampaignContext } from '@certflow/parties';
import type { DataSource } from 'typeorm';

export interface LaunchStatus extends LaunchProgress {
  /** The launch workflow's status (RUNNING, COMPLETED, …). */
  readonly status: string;
  /** The first 100 refused items, each with its rule. */
  readonly refusedItems: unknown[];
}

const REFUSED_SHOWN = 100;

/** A launch's progress: launched, refused (with the rule), pending. */
export class GetLaunchUseCase {
  constructor(
    private readonly ctx: Pick<CampaignContext, 'client'>,
    private readonly db: DataSource,
  ) {}

  async execute(launchId: string): Promise<LaunchStatus> {
    const progress = await launchProgress(this.db, launchId);
    if (!progress) throw notFound(`launch ${launchId}`);
    const { status } = await this.ctx.client.workflow.getHandle(`launch-${launchId}`).describe();
    return {
      ...progress,
      status: status.name,
      refusedItems: progress.refused > 0 ? await refusedLaunchItems(this.db, launchId, REFUSED_SHOWN) : [],
    };
  }
}
