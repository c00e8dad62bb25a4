import type { feesSchema, Recorded } from '../event-schema-parts';
import type { CampaignPolicy, FeeKind, PartyType, PayerCase, PayerKind } from '../policy';

/**
 * Fees and payers (常财购〔2023〕12号 §二). Amounts come from the policy's fee table, payers from its
 * payer table; both are data. Money is integer fen throughout.
 */

export const COMPONENTS = ['CA', 'SEAL'] as const;
export type Component = (typeof COMPONENTS)[number];

/** One charge as events record it (its shape is the event schema's: `feesSchema`). */
export type FeeItem = Recorded<typeof feesSchema>[number];

/** FINANCE is the same-level finance department of the party's jurisdiction; SELF is the party. */
export type Payer = FeeItem['payer'];

export interface FeeBasis {
  readonly partyId: string;
  readonly partyType: PartyType;
  readonly jurisdiction: string;
  readonly kind: FeeKind;
  /** Judged on the day the replacement was applied for; ignored for other kinds. */
  readonly oldCredentialValidOnApplication: boolean;
  /** The party had no other set before this one (the expert's 首个 set). */
  readonly firstSetOfParty: boolean;
}

export function payerCase(kind: FeeKind, oldCredentialValidOnApplication: boolean): PayerCase {
  switch (kind) {
    case 'REPLACEMENT':
      // 常财购〔2023〕12号 §二 (docs/domain.md §5): free replacement only for holders of a valid old credential.
      return oldCredentialValidOnApplication ? 'REPLACEMENT_OLD_VALID' : 'REPLACEMENT_OLD_EXPIRED';
    case 'NEW':
    case 'RENEWAL':
    case 'REISSUE':
      return kind;
  }
}

export function payerKind(policy: CampaignPolicy, basis: FeeBasis): PayerKind {
  const cell = policy.payers[basis.partyType][payerCase(basis.kind, basis.oldCredentialValidOnApplication)];
  return basis.firstSetOfParty ? cell.firstSet : cell.furtherSets;
}

/** The fee items recorded when a set (or its renewal, or its reissue) is issued: one per component. */
export function feeItems(policy: CampaignPolicy, basis: FeeBasis): FeeItem[] {
  const payer: Payer =
    payerKind(policy, basis) === 'FINANCE'
      ? { kind: 'FINANCE', jurisdiction: basis.jurisdiction }
      : { kind: 'SELF', partyId: basis.partyId };
  const amounts = policy.fees[basis.kind];
  return [
    { component: 'CA', kind: basis.kind, amountFen: amounts.ca, payer },
    { component: 'SEAL', kind: basis.kind, amountFen: amounts.seal, payer },
  ];
}

export function payerKey(payer: Payer): string {
  return payer.kind === 'FINANCE' ? `FINANCE:${payer.jurisdiction}` : `SELF:${payer.partyId}`;
}

/** One recorded fee item with what it was for. */
export interface FeeLine extends FeeItem {
  readonly setId: string;
  readonly partyId: string;
  readonly partyType: PartyType;
  readonly recordedAt: string;
}

export interface StatementRow {
  readonly partyId: string;
  readonly kind: FeeKind;
  readonly amountFen: number;
  readonly items: number;
}

export interface Statement {
  readonly payer: Payer;
  readonly totalFen: number;
  /** By party and by kind, sorted, so two statements of the same lines are equal. */
  readonly rows: readonly StatementRow[];
}

/** Statements per payer: each finance department sees what it owes by party and kind; each self-payer its bill. */
export function drawStatements(lines: readonly FeeLine[]): Statement[] {
  const byPayer = new Map<string, { payer: Payer; rows: Map<string, StatementRow> }>();
  for (const line of lines) {
    const key = payerKey(line.payer);
    const entry = byPayer.get(key) ?? { payer: line.payer, rows: new Map<string, StatementRow>() };
    byPayer.set(key, entry);
    const rowKey = `${line.partyId}\u0000${line.kind}`;
    const row = entry.rows.get(rowKey) ?? { partyId: line.partyId, kind: line.kind, amountFen: 0, items: 0 };
    entry.rows.set(rowKey, { ...row, amountFen: row.amountFen + line.amountFen, items: row.items + 1 });
  }
  return [...byPayer.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { payer, rows }]) => {
      const sorted = [...rows.values()].sort((a, b) =>
        a.partyId === b.partyId ? a.kind.localeCompare(b.kind) : a.partyId < b.partyId ? -1 : 1,
      );
      return { payer, totalFen: sorted.reduce((sum, r) => sum + r.amountFen, 0), rows: sorted };
    });
}

/** Fen as yuan for display only: 11520 → "115.20". */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
