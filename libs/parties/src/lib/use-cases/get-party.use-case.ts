import type { PartyState } from '@certflow/domain';
import type { CampaignContext } from '../campaign-context';
import { requireParty } from '../party-workflow';

/** A party's state from its workflow (started first for a launched party); NOT_FOUND if unknown. */
export class GetPartyUseCase {
  constructor(private readonly ctx: CampaignContext) {}

  execute(partyId: string): Promise<PartyState> {
    return requireParty(this.ctx, partyId);
  }
}
