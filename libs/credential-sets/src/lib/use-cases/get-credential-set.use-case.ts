import { WorkflowNotFoundError } from '@temporalio/client';
import type { CredentialSetState } from '@certflow/domain';
import { notFound } from '@certflow/application';
import type { CampaignContext } from '@certflow/parties';
import { credentialSetState } from '@certflow/workflows';
import type { CredentialSetViewRepository } from '../credential-set-view.repository';

export type Consistency = 'eventual' | 'strong';

export interface CredentialSetView {
  readonly setId: string;
  readonly state: CredentialSetState;
}

/**
 * A set's state. By default from the read model, which the projector brings up to date within
 * milliseconds of each step (it wakes on the append's NOTIFY); `strong` asks the set's workflow,
 * which costs a workflow task on the worker and is some 20 times slower under load.
 */
export class GetCredentialSetUseCase {
  constructor(
    private readonly ctx: Pick<CampaignContext, 'client'>,
    private readonly sets: CredentialSetViewRepository,
  ) {}

  async execute(setId: string, consistency: Consistency = 'eventual'): Promise<CredentialSetView> {
    if (consistency === 'eventual') {
      const state = await this.sets.findState(setId);
      if (state) return { setId, state };
      // Not projected yet (just applied) or unknown: the workflow knows, or says NOT_FOUND.
    }
    try {
      return {
        setId,
        state: await this.ctx.client.workflow.getHandle(`credential-set-${setId}`).query(credentialSetState),
      };
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw notFound(`credential set ${setId}`);
      throw e;
    }
  }
}
