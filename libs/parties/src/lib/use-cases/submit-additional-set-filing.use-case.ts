import type { Actor, PartyState } from '@certflow/domain';
import type { CampaignContext } from '../campaign-context';
import { takePartyStep } from '../party-workflow';

export interface AdditionalSetFiling {
  readonly filingId: string;
  readonly additionalSets: number;
  readonly reason: string;
}

/** A party files for sets beyond the first (附件3); its workflow's validator runs the domain's decide. */
export class SubmitAdditionalSetFilingUseCase {
  constructor(private readonly ctx: CampaignContext) {}

  execute(actor: Actor, partyId: string, filing: AdditionalSetFiling, idempotencyKey?: string): Promise<PartyState> {
    return takePartyStep(this.ctx, actor, partyId, { type: 'SubmitAdditionalSetFiling', ...filing }, idempotencyKey);
  }
}
