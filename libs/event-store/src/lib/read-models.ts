import { allowedSets, type CredentialSetState, type PartyState } from '@certflow/domain';
import type { StoredEvent } from './event-store';

/**
 * The read models' tables, defined once: the projector writes rows of these shapes and the feature
 * repositories read them by these names (migration 1763800100000-projections creates them).
 */
export interface ReadModelTable<Row> {
  readonly name: string;
  /** Column name → PostgreSQL type, in table order; `stream_id` is the key. */
  readonly columns: { readonly [K in keyof Row]: string };
}

export interface CredentialSetViewRow {
  readonly stream_id: string;
  readonly set_id: string;
  readonly party_id: string | null;
  readonly party_type: string | null;
  readonly jurisdiction: string | null;
  readonly status: string;
  readonly valid_until: string | null;
  readonly bound_platforms: readonly string[];
  readonly blocked_platforms: readonly string[];
  readonly version: number;
  readonly state: CredentialSetState;
  readonly last_position: number;
  readonly updated_at: string;
}

export interface PartyViewRow {
  readonly stream_id: string;
  readonly party_id: string;
  readonly party_type: string | null;
  readonly name: string | null;
  readonly jurisdiction: string | null;
  readonly open_sets: number;
  readonly allowed_sets: number;
  readonly version: number;
  readonly state: PartyState;
  readonly last_position: number;
  readonly updated_at: string;
}

export const CREDENTIAL_SET_VIEW: ReadModelTable<CredentialSetViewRow> = {
  name: 'credential_set_view',
  columns: {
    stream_id: 'text',
    set_id: 'text',
    party_id: 'text',
    party_type: 'text',
    jurisdiction: 'text',
    status: 'text',
    valid_until: 'timestamptz',
    bound_platforms: 'text[]',
    blocked_platforms: 'text[]',
    version: 'integer',
    state: 'jsonb',
    last_position: 'bigint',
    updated_at: 'timestamptz',
  },
};

export const PARTY_VIEW: ReadModelTable<PartyViewRow> = {
  name: 'party_view',
  columns: {
    stream_id: 'text',
    party_id: 'text',
    party_type: 'text',
    name: 'text',
    jurisdiction: 'text',
    open_sets: 'integer',
    allowed_sets: 'integer',
    version: 'integer',
    state: 'jsonb',
    last_position: 'bigint',
    updated_at: 'timestamptz',
  },
};

/** The state a stream's events fold to, with the event that brought it there. */
export interface FoldedStream {
  readonly version: number;
  readonly state: unknown;
  readonly last: StoredEvent;
}

export function credentialSetViewRow(streamId: string, { version, state, last }: FoldedStream): CredentialSetViewRow {
  const s = state as CredentialSetState;
  return {
    stream_id: streamId,
    set_id: s.setId ?? streamId.slice('credential-set-'.length),
    party_id: s.party?.partyId ?? null,
    party_type: s.party?.partyType ?? null,
    jurisdiction: s.party?.jurisdiction ?? null,
    status: s.status,
    valid_until: s.validUntil,
    bound_platforms: s.boundPlatforms,
    blocked_platforms: s.blockedPlatforms,
    version,
    state: s,
    last_position: last.position,
    updated_at: last.recordedAt,
  };
}

export function partyViewRow(streamId: string, { version, state, last }: FoldedStream): PartyViewRow {
  const s = state as PartyState;
  return {
    stream_id: streamId,
    party_id: s.party?.partyId ?? streamId.slice('party-'.length),
    party_type: s.party?.partyType ?? null,
    name: s.party?.name ?? null,
    jurisdiction: s.party?.jurisdiction ?? null,
    open_sets: s.openSets.length,
    allowed_sets: allowedSets(s),
    version,
    state: s,
    last_position: last.position,
    updated_at: last.recordedAt,
  };
}

/**
 * One statement for a page of rows: insert, or replace a row at a lower version (so a replayed
 * page changes nothing). `$1` is the rows as a JSON array.
 */
export function upsertStatement<Row>(table: ReadModelTable<Row>): string {
  const columns = Object.entries<string>(table.columns);
  const names = columns.map(([name]) => name);
  return `INSERT INTO ${table.name} (${names.join(', ')})
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${columns.map(([n, type]) => `${n} ${type}`).join(', ')})
     ON CONFLICT (stream_id) DO UPDATE SET ${names
       .filter((n) => n !== 'stream_id')
       .map((n) => `${n} = EXCLUDED.${n}`)
       .join(', ')}
     WHERE ${table.name}.version < EXCLUDED.version`;
}

/**
 * A SELECT list naming the table's columns as the caller's fields (`party_id AS "partyId"`); a
 * column the table does not have fails to compile.
 */
export function selectList<Row, Field extends string>(
  _table: ReadModelTable<Row>,
  fields: Readonly<Record<Field, keyof Row & string>>,
): string {
  return Object.entries<string>(fields)
    .map(([field, column]) => (field === column ? column : `${column} AS "${field}"`))
    .join(', ');
}
