import type { PartyType } from '@certflow/domain';
import { PARTY_VIEW, selectList, type PartyViewRow } from '@certflow/event-store';
import type { DataSource } from 'typeorm';

/** A party as the list shows it (the read model `party_view`). */
export interface PartySummary {
  readonly partyId: string;
  readonly partyType: PartyType | null;
  readonly name: string | null;
  readonly jurisdiction: string | null;
  readonly openSets: number;
  readonly allowedSets: number;
  readonly version: number;
}

export interface PartyFilter {
  readonly jurisdiction?: string;
  readonly partyType?: PartyType;
}

const LIST_LIMIT = 1000;

const SUMMARY = selectList<PartyViewRow, keyof PartySummary>(PARTY_VIEW, {
  partyId: 'party_id',
  partyType: 'party_type',
  name: 'name',
  jurisdiction: 'jurisdiction',
  openSets: 'open_sets',
  allowedSets: 'allowed_sets',
  version: 'version',
});

/** Reads of the party read model, which the projector keeps (libs/event-store read-models). */
export class PartyViewRepository {
  constructor(private readonly db: DataSource) {}

  /** Parties by id, at most 1000, optionally of one jurisdiction and type. */
  async list(filter: PartyFilter): Promise<PartySummary[]> {
    return this.db.query<PartySummary[]>(
      `SELECT ${SUMMARY} FROM ${PARTY_VIEW.name}
        WHERE ($1::text IS NULL OR jurisdiction = $1) AND ($2::text IS NULL OR party_type = $2)
        ORDER BY party_id LIMIT ${LIST_LIMIT}`,
      [filter.jurisdiction ?? null, filter.partyType ?? null],
    );
  }
}
