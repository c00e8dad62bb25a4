import { drawStatements, payerKey, type FeeItem, type FeeLine, type PartyType, type Statement } from '@certflow/domain';
import type { PostgresEventStore, StoredEvent } from '@certflow/event-store';
import type { CredentialSetViewRepository } from '@certflow/credential-sets';

export interface FeeStatementFilter {
  /** `FINANCE:<jurisdiction>` or `SELF:<partyId>`. */
  readonly payer?: string;
  readonly jurisdiction?: string;
}

const FEE_EVENTS = ['CredentialSetIssued', 'CredentialSetRenewed', 'CredentialSetReissued'];
const SET_STREAM = 'credential-set-';

/**
 * Statements per payer from the fee items recorded at issue, renewal and reissue. The payer
 * depends on the party type, which the set's read model carries (one query for all sets).
 */
export class DrawFeeStatementsUseCase {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly sets: CredentialSetViewRepository,
  ) {}

  async execute(filter: FeeStatementFilter): Promise<Statement[]> {
    const events: StoredEvent[] = [];
    for await (const e of this.store.query({
      types: FEE_EVENTS,
      ...(filter.jurisdiction ? { jurisdiction: filter.jurisdiction } : {}),
    })) {
      events.push(e);
    }
    const partyTypes = await this.partyTypes(events.map((e) => e.streamId.slice(SET_STREAM.length)));
    const lines: FeeLine[] = events.flatMap((e) => {
      const setId = e.streamId.slice(SET_STREAM.length);
      return (e.data as { fees: FeeItem[] }).fees.map((f) => ({
        ...f,
        setId,
        partyId: e.partyId ?? '',
        partyType: partyTypes.get(setId) ?? 'BUDGET_UNIT',
        recordedAt: e.recordedAt,
      }));
    });
    const statements = drawStatements(lines);
    if (!filter.payer) return statements;
    return statements.filter((s) => payerKey(s.payer) === filter.payer);
  }

  /** From the read model; a set the projector has not reached yet is read from its first event. */
  private async partyTypes(setIds: readonly string[]): Promise<Map<string, PartyType>> {
    const unique = [...new Set(setIds)];
    const known = await this.sets.partyTypes(unique);
    for (const setId of unique.filter((id) => !known.has(id))) {
      const [first] = await this.store.readStreamToArray(`${SET_STREAM}${setId}`);
      const type = (first?.data as { party?: { partyType?: PartyType } } | undefined)?.party?.partyType;
      if (type) known.set(setId, type);
    }
    return known;
  }
}
