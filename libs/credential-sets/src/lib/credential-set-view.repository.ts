import type { CredentialSetState, CredentialSetStatus, PartyType } from '@certflow/domain';
import { CREDENTIAL_SET_VIEW, selectList, type CredentialSetViewRow } from '@certflow/event-store';
import type { DataSource } from 'typeorm';

/** A credential set as the list shows it (the read model `credential_set_view`). */
export interface CredentialSetSummary {
  readonly setId: string;
  readonly partyId: string | null;
  readonly partyType: PartyType | null;
  readonly jurisdiction: string | null;
  readonly status: CredentialSetStatus;
  readonly validUntil: Date | null;
  readonly boundPlatforms: readonly string[];
  readonly blockedPlatforms: readonly string[];
  readonly version: number;
}

export interface CredentialSetFilter {
  readonly partyId?: string;
  readonly jurisdiction?: string;
  readonly status?: string;
}

const LIST_LIMIT = 1000;

const SUMMARY = selectList<CredentialSetViewRow, keyof CredentialSetSummary>(CREDENTIAL_SET_VIEW, {
  setId: 'set_id',
  partyId: 'party_id',
  partyType: 'party_type',
  jurisdiction: 'jurisdiction',
  status: 'status',
  validUntil: 'valid_until',
  boundPlatforms: 'bound_platforms',
  blockedPlatforms: 'blocked_platforms',
  version: 'version',
});

/** Reads of the credential-set read model, which the projector keeps (libs/event-store read-models). */
export class CredentialSetViewRepository {
  constructor(private readonly db: DataSource) {}

  /** Sets by id, at most 1000, optionally of one party, jurisdiction and status. */
  async list(filter: CredentialSetFilter): Promise<CredentialSetSummary[]> {
    return this.db.query<CredentialSetSummary[]>(
      `SELECT ${SUMMARY} FROM ${CREDENTIAL_SET_VIEW.name}
        WHERE ($1::text IS NULL OR party_id = $1) AND ($2::text IS NULL OR jurisdiction = $2)
          AND ($3::text IS NULL OR status = $3)
        ORDER BY set_id LIMIT ${LIST_LIMIT}`,
      [filter.partyId ?? null, filter.jurisdiction ?? null, filter.status ?? null],
    );
  }

  /** The set's projected state, or null when the projector has not seen it (yet). */
  async findState(setId: string): Promise<CredentialSetState | null> {
    const [row] = await this.db.query<{ state: CredentialSetState }[]>(
      `SELECT state FROM ${CREDENTIAL_SET_VIEW.name} WHERE set_id = $1`,
      [setId],
    );
    return row?.state ?? null;
  }

  /** The party type of each projected set among `setIds`. */
  async partyTypes(setIds: readonly string[]): Promise<Map<string, PartyType>> {
    const rows = await this.db.query<{ setId: string; partyType: PartyType }[]>(
      `SELECT set_id AS "setId", party_type AS "partyType" FROM ${CREDENTIAL_SET_VIEW.name}
        WHERE set_id = ANY($1::text[]) AND party_type IS NOT NULL`,
      [setIds],
    );
    return new Map(rows.map((r) => [r.setId, r.partyType]));
  }
}
