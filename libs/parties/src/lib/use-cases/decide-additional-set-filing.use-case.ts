import type { Actor, PartyState } from '@certflow/domain';
import type { CampaignContext } from '../campaign-context';
import { takePartyStep } from '../party-workflow';

/** The same decision shape as a credential set's filing: accept, or reject with a reason. */
export interface FilingDecision {
  readonly decision: 'ACCEPT' | 'REJECT';
  readonly reason?: string;
}

/** Approves or rejects a party's additional-set filing. */
export class DecideAdditionalSetFilingUseCase {
  constructor(private readonly ctx: CampaignContext) {}

  execute(
    actor: Actor,
    partyId: string,
    filingId: string,
    { decision, reason }: FilingDecision,
    idempotencyKey?: string,
  ): Promise<PartyState> {
    const command =
      decision === 'ACCEPT'
        ? ({ type: 'ApproveAdditionalSetFiling', filingId } as const)
        : ({ type: 'RejectAdditionalSetFiling', filingId, reason: reason ?? '' } as const);
    return takePartyStep(this.ctx, actor, partyId, command, idempotencyKey);
  }
}
