import { changzhouPolicy, rawChangzhou, urumqiPolicy } from '../testing/policies';
import {
  drawStatements,
  feeItems,
  formatYuan,
  payerCase,
  payerKey,
  type FeeBasis,
  type FeeItem,
  type FeeLine,
  type Statement,
} from './fees';
import { loadPolicy, type CampaignPolicy, type FeeKind, type PartyType } from '../policy';

/*
 * Fees and payers, 常财购〔2023〕12号 §二 as tabulated in docs/domain.md §5. Every expected value below is
 * written out literally from the notice/spec, never derived from the policy under test.
 */

const changzhou = changzhouPolicy();
const urumqi = urumqiPolicy();

const basis = (over: Partial<FeeBasis> = {}): FeeBasis => ({
  partyId: 'party-1',
  partyType: 'BUDGET_UNIT',
  jurisdiction: 'wujin',
  kind: 'NEW',
  oldCredentialValidOnApplication: false,
  firstSetOfParty: true,
  ...over,
});

const total = (items: readonly FeeItem[]) => items.reduce((sum, i) => sum + i.amountFen, 0);

// ---------------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------------

describe('fee amounts (notice §二: 新办 192元 = CA 97 + 签章 95; 更换/续期/补办 115.2元 = CA 58.2 + 签章 57)', () => {
  const CHANGZHOU_FEES: readonly [FeeKind, number, number, number][] = [
    ['NEW', 9700, 9500, 19200],
    ['REPLACEMENT', 5820, 5700, 11520],
    ['RENEWAL', 5820, 5700, 11520],
    ['REISSUE', 5820, 5700, 11520],
  ];

  it.each(CHANGZHOU_FEES)('Changzhou %s: CA %i fen, seal %i fen, set %i fen', (kind, ca, seal, set) => {
    const items = feeItems(changzhou, basis({ kind }));
    expect(items.map((i) => [i.component, i.kind, i.amountFen])).toEqual([
      ['CA', kind, ca],
      ['SEAL', kind, seal],
    ]);
    for (const item of items) expect(Number.isInteger(item.amountFen)).toBe(true);
    expect(total(items)).toBe(set);
  });

  it.each(['BUDGET_UNIT', 'FRAMEWORK_SUPPLIER', 'EVALUATION_EXPERT'] as const)(
    'the amount does not depend on the payer (%s, further set, old credential valid)',
    (partyType) => {
      const items = feeItems(
        changzhou,
        basis({ partyType, kind: 'REPLACEMENT', oldCredentialValidOnApplication: true, firstSetOfParty: false }),
      );
      expect(items.map((i) => i.amountFen)).toEqual([5820, 5700]);
    },
  );

  const URUMQI_FEES: readonly [FeeKind, number, number, number][] = [
    ['NEW', 8800, 9000, 17800],
    ['REPLACEMENT', 5000, 4900, 9900],
    ['RENEWAL', 4500, 4400, 8900],
    ['REISSUE', 6100, 6000, 12100],
  ];

  it.each(URUMQI_FEES)('Urumqi (another policy, same code) %s: CA %i, seal %i, set %i fen', (kind, ca, seal, set) => {
    const items = feeItems(urumqi, basis({ jurisdiction: 'tianshan', kind }));
    expect(items.map((i) => [i.component, i.amountFen])).toEqual([
      ['CA', ca],
      ['SEAL', seal],
    ]);
    for (const item of items) expect(Number.isInteger(item.amountFen)).toBe(true);
    expect(total(items)).toBe(set);
  });
});

// ---------------------------------------------------------------------------------------------
// Payers
// ---------------------------------------------------------------------------------------------

type Case = 'NEW' | 'REPLACEMENT old valid' | 'REPLACEMENT old expired' | 'RENEWAL' | 'REISSUE';
type Who = 'FINANCE' | 'SELF';
/** [first set, further set] */
type Row = Readonly<Record<Case, readonly [Who, Who]>>;

const CASES: Readonly<Record<Case, Pick<FeeBasis, 'kind' | 'oldCredentialValidOnApplication'>>> = {
  NEW: { kind: 'NEW', oldCredentialValidOnApplication: false },
  'REPLACEMENT old valid': { kind: 'REPLACEMENT', oldCredentialValidOnApplication: true },
  'REPLACEMENT old expired': { kind: 'REPLACEMENT', oldCredentialValidOnApplication: false },
  RENEWAL: { kind: 'RENEWAL', oldCredentialValidOnApplication: false },
  REISSUE: { kind: 'REISSUE', oldCredentialValidOnApplication: false },
};

const ALL_FINANCE: Row = {
  NEW: ['FINANCE', 'FINANCE'],
  'REPLACEMENT old valid': ['FINANCE', 'FINANCE'],
  'REPLACEMENT old expired': ['FINANCE', 'FINANCE'],
  RENEWAL: ['FINANCE', 'FINANCE'],
  REISSUE: ['FINANCE', 'FINANCE'],
};
const EXPERT: Row = {
  NEW: ['FINANCE', 'SELF'],
  'REPLACEMENT old valid': ['FINANCE', 'FINANCE'],
  'REPLACEMENT old expired': ['SELF', 'SELF'],
  RENEWAL: ['FINANCE', 'FINANCE'],
  REISSUE: ['SELF', 'SELF'],
};
const SELF_PAYING: Row = {
  NEW: ['SELF', 'SELF'],
  'REPLACEMENT old valid': ['FINANCE', 'FINANCE'],
  'REPLACEMENT old expired': ['SELF', 'SELF'],
  RENEWAL: ['SELF', 'SELF'],
  REISSUE: ['SELF', 'SELF'],
};

/** docs/domain.md §5 "Who pays", written out by hand. */
const CHANGZHOU_PAYERS: Readonly<Record<PartyType, Row>> = {
  BUDGET_UNIT: ALL_FINANCE,
  PROCUREMENT_CENTER: ALL_FINANCE,
  EVALUATION_EXPERT: EXPERT,
  FRAMEWORK_SUPPLIER: SELF_PAYING,
  SOCIAL_AGENCY: SELF_PAYING,
};

/** The Urumqi document changes two cells: no free replacement for suppliers; experts' first-set reissue paid. */
const URUMQI_PAYERS: Readonly<Record<PartyType, Row>> = {
  BUDGET_UNIT: ALL_FINANCE,
  PROCUREMENT_CENTER: ALL_FINANCE,
  EVALUATION_EXPERT: { ...EXPERT, REISSUE: ['FINANCE', 'SELF'] },
  FRAMEWORK_SUPPLIER: { ...SELF_PAYING, 'REPLACEMENT old valid': ['SELF', 'SELF'] },
  SOCIAL_AGENCY: SELF_PAYING,
};

type Cell = [name: string, partyType: PartyType, c: Case, firstSet: boolean, expected: Who];

function cellsOf(table: Readonly<Record<PartyType, Row>>): Cell[] {
  const cells: Cell[] = [];
  for (const [partyType, row] of Object.entries(table) as [PartyType, Row][]) {
    for (const [c, [first, further]] of Object.entries(row) as [Case, readonly [Who, Who]][]) {
      cells.push([`${partyType} / ${c} / first set → ${first}`, partyType, c, true, first]);
      cells.push([`${partyType} / ${c} / further set → ${further}`, partyType, c, false, further]);
    }
  }
  return cells;
}

function payerOf(
  policy: CampaignPolicy,
  partyType: PartyType,
  c: Case,
  firstSetOfParty: boolean,
  jurisdiction: string,
) {
  const items = feeItems(policy, basis({ partyId: 'p-42', partyType, jurisdiction, firstSetOfParty, ...CASES[c] }));
  expect(items).toHaveLength(2);
  // Both components of one set have one payer.
  expect(items[1]?.payer).toEqual(items[0]?.payer);
  return items[0]?.payer;
}

const expectedPayer = (who: Who, jurisdiction: string) =>
  who === 'FINANCE' ? { kind: 'FINANCE', jurisdiction } : { kind: 'SELF', partyId: 'p-42' };

describe('who pays (docs/domain.md §5), Changzhou 2023', () => {
  it('the expected table covers 5 party types × 5 cases × first/further = 50 cells', () => {
    expect(cellsOf(CHANGZHOU_PAYERS)).toHaveLength(50);
  });

  it.each(cellsOf(CHANGZHOU_PAYERS))('%s', (_name, partyType, c, firstSet, who) => {
    expect(payerOf(changzhou, partyType, c, firstSet, 'wujin')).toEqual(expectedPayer(who, 'wujin'));
  });

  it('FINANCE means the same-level finance department: the party’s own jurisdiction', () => {
    expect(payerOf(changzhou, 'BUDGET_UNIT', 'NEW', true, 'changzhou')).toEqual({
      kind: 'FINANCE',
      jurisdiction: 'changzhou',
    });
    expect(payerOf(changzhou, 'BUDGET_UNIT', 'NEW', true, 'liyang')).toEqual({
      kind: 'FINANCE',
      jurisdiction: 'liyang',
    });
  });

  it('SELF carries the paying party’s id', () => {
    const items = feeItems(changzhou, basis({ partyId: 'supplier-7', partyType: 'FRAMEWORK_SUPPLIER', kind: 'NEW' }));
    expect(items.map((i) => i.payer)).toEqual([
      { kind: 'SELF', partyId: 'supplier-7' },
      { kind: 'SELF', partyId: 'supplier-7' },
    ]);
  });

  it.each(['NEW', 'RENEWAL', 'REISSUE'] as const)(
    'oldCredentialValidOnApplication is ignored for %s (only replacement depends on it)',
    (kind) => {
      expect(payerCase(kind, true)).toBe(kind);
      expect(payerCase(kind, false)).toBe(kind);
      for (const partyType of ['BUDGET_UNIT', 'EVALUATION_EXPERT', 'FRAMEWORK_SUPPLIER', 'SOCIAL_AGENCY'] as const) {
        for (const firstSetOfParty of [true, false]) {
          const valid = feeItems(
            changzhou,
            basis({ partyType, kind, firstSetOfParty, oldCredentialValidOnApplication: true }),
          );
          const expired = feeItems(
            changzhou,
            basis({ partyType, kind, firstSetOfParty, oldCredentialValidOnApplication: false }),
          );
          expect(valid).toEqual(expired);
        }
      }
    },
  );

  it('replacement does depend on it: a supplier’s replacement is free only with a valid old credential', () => {
    expect(payerCase('REPLACEMENT', true)).toBe('REPLACEMENT_OLD_VALID');
    expect(payerCase('REPLACEMENT', false)).toBe('REPLACEMENT_OLD_EXPIRED');
    const party = { partyType: 'FRAMEWORK_SUPPLIER', kind: 'REPLACEMENT' } as const;
    expect(feeItems(changzhou, basis({ ...party, oldCredentialValidOnApplication: true }))[0]?.payer.kind).toBe(
      'FINANCE',
    );
    expect(feeItems(changzhou, basis({ ...party, oldCredentialValidOnApplication: false }))[0]?.payer.kind).toBe(
      'SELF',
    );
  });
});

describe('rules are data: the same code on another policy', () => {
  it.each(cellsOf(URUMQI_PAYERS))('Urumqi: %s', (_name, partyType, c, firstSet, who) => {
    expect(payerOf(urumqi, partyType, c, firstSet, 'tianshan')).toEqual(expectedPayer(who, 'tianshan'));
  });

  it('Urumqi differs from Changzhou in exactly its two changed payer cells', () => {
    const differing = cellsOf(CHANGZHOU_PAYERS)
      .filter(
        ([, partyType, c, firstSet]) =>
          payerOf(urumqi, partyType, c, firstSet, 'x')?.kind !== payerOf(changzhou, partyType, c, firstSet, 'x')?.kind,
      )
      .map(([, partyType, c, firstSet]) => `${partyType} / ${c} / ${firstSet ? 'first' : 'further'}`);
    expect(differing.sort()).toEqual([
      'EVALUATION_EXPERT / REISSUE / first',
      'FRAMEWORK_SUPPLIER / REPLACEMENT old valid / first',
      'FRAMEWORK_SUPPLIER / REPLACEMENT old valid / further',
    ]);
  });

  it('overriding one cell in a copy of the Changzhou document changes exactly that payer', () => {
    const doc = rawChangzhou() as { payers: Record<string, Record<string, { firstSet: string; furtherSets: string }>> };
    const cell = doc.payers['SOCIAL_AGENCY']?.['RENEWAL'];
    if (!cell) throw new Error('test setup: the Changzhou document has no SOCIAL_AGENCY.RENEWAL cell');
    cell.firstSet = 'FINANCE';
    const amended = loadPolicy(doc);

    const changed = cellsOf(CHANGZHOU_PAYERS).filter(
      ([, partyType, c, firstSet]) =>
        payerOf(amended, partyType, c, firstSet, 'wujin')?.kind !==
        payerOf(changzhou, partyType, c, firstSet, 'wujin')?.kind,
    );
    expect(changed.map(([name]) => name)).toEqual(['SOCIAL_AGENCY / RENEWAL / first set → SELF']);
    expect(payerOf(amended, 'SOCIAL_AGENCY', 'RENEWAL', true, 'wujin')).toEqual({
      kind: 'FINANCE',
      jurisdiction: 'wujin',
    });
    expect(payerOf(amended, 'SOCIAL_AGENCY', 'RENEWAL', false, 'wujin')).toEqual({ kind: 'SELF', partyId: 'p-42' });
    // The original is untouched.
    expect(payerOf(changzhouPolicy(), 'SOCIAL_AGENCY', 'RENEWAL', true, 'wujin')).toEqual({
      kind: 'SELF',
      partyId: 'p-42',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

describe('drawStatements', () => {
  let seq = 0;
  const linesFor = (over: Partial<FeeBasis>, setId: string): FeeLine[] => {
    const b = basis(over);
    return feeItems(changzhou, b).map((item) => ({
      ...item,
      setId,
      partyId: b.partyId,
      partyType: b.partyType,
      recordedAt: `2023-09-${String(10 + (seq++ % 10)).padStart(2, '0')}T10:00:00+08:00`,
    }));
  };

  // City budget unit: new set (19200) and a renewal (11520), finance pays both.
  const cityUnitNew = linesFor({ partyId: 'bu-city', jurisdiction: 'changzhou', kind: 'NEW' }, 'set-1');
  const cityUnitRenewal = linesFor({ partyId: 'bu-city', jurisdiction: 'changzhou', kind: 'RENEWAL' }, 'set-1');
  // Wujin budget unit: free replacement (11520) and a reissue (11520) → Wujin finance.
  const wujinUnitRepl = linesFor(
    { partyId: 'bu-wujin', jurisdiction: 'wujin', kind: 'REPLACEMENT', oldCredentialValidOnApplication: true },
    'set-2',
  );
  const wujinUnitReissue = linesFor({ partyId: 'bu-wujin', jurisdiction: 'wujin', kind: 'REISSUE' }, 'set-2');
  // Wujin expert: first set new → Wujin finance (19200); second set new → self (19200).
  const expertFirst = linesFor(
    { partyId: 'ex-1', partyType: 'EVALUATION_EXPERT', jurisdiction: 'wujin', kind: 'NEW', firstSetOfParty: true },
    'set-3',
  );
  const expertSecond = linesFor(
    { partyId: 'ex-1', partyType: 'EVALUATION_EXPERT', jurisdiction: 'wujin', kind: 'NEW', firstSetOfParty: false },
    'set-4',
  );
  // City supplier: new set at its own cost (19200), replacement with a valid old credential → city finance (11520).
  const supplierNew = linesFor(
    { partyId: 'sup-1', partyType: 'FRAMEWORK_SUPPLIER', jurisdiction: 'changzhou', kind: 'NEW' },
    'set-5',
  );
  const supplierRepl = linesFor(
    {
      partyId: 'sup-1',
      partyType: 'FRAMEWORK_SUPPLIER',
      jurisdiction: 'changzhou',
      kind: 'REPLACEMENT',
      oldCredentialValidOnApplication: true,
    },
    'set-6',
  );
  // A second city unit's new set, to have two parties on one statement.
  const otherCityUnit = linesFor({ partyId: 'bu-another', jurisdiction: 'changzhou', kind: 'NEW' }, 'set-7');

  const lines: FeeLine[] = [
    ...supplierNew,
    ...wujinUnitReissue,
    ...cityUnitNew,
    ...expertSecond,
    ...otherCityUnit,
    ...wujinUnitRepl,
    ...supplierRepl,
    ...expertFirst,
    ...cityUnitRenewal,
  ];

  const expected: Statement[] = [
    {
      payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
      totalFen: 19200 + 11520 + 19200 + 11520,
      rows: [
        { partyId: 'bu-another', kind: 'NEW', amountFen: 19200, items: 2 },
        { partyId: 'bu-city', kind: 'NEW', amountFen: 19200, items: 2 },
        { partyId: 'bu-city', kind: 'RENEWAL', amountFen: 11520, items: 2 },
        { partyId: 'sup-1', kind: 'REPLACEMENT', amountFen: 11520, items: 2 },
      ],
    },
    {
      payer: { kind: 'FINANCE', jurisdiction: 'wujin' },
      totalFen: 11520 + 11520 + 19200,
      rows: [
        { partyId: 'bu-wujin', kind: 'REISSUE', amountFen: 11520, items: 2 },
        { partyId: 'bu-wujin', kind: 'REPLACEMENT', amountFen: 11520, items: 2 },
        { partyId: 'ex-1', kind: 'NEW', amountFen: 19200, items: 2 },
      ],
    },
    {
      payer: { kind: 'SELF', partyId: 'ex-1' },
      totalFen: 19200,
      rows: [{ partyId: 'ex-1', kind: 'NEW', amountFen: 19200, items: 2 }],
    },
    {
      payer: { kind: 'SELF', partyId: 'sup-1' },
      totalFen: 19200,
      rows: [{ partyId: 'sup-1', kind: 'NEW', amountFen: 19200, items: 2 }],
    },
  ];

  it('one statement per payer, rows by party and kind with summed fen and item counts, in a fixed order', () => {
    expect(drawStatements(lines)).toEqual(expected);
  });

  it('two lines of one party and kind sum into one row', () => {
    const twice = [
      ...cityUnitRenewal,
      ...linesFor({ partyId: 'bu-city', jurisdiction: 'changzhou', kind: 'RENEWAL' }, 's'),
    ];
    expect(drawStatements(twice)).toEqual([
      {
        payer: { kind: 'FINANCE', jurisdiction: 'changzhou' },
        totalFen: 23040,
        rows: [{ partyId: 'bu-city', kind: 'RENEWAL', amountFen: 23040, items: 4 }],
      },
    ]);
  });

  it('totals are the sum of the rows and of the lines, in integer fen', () => {
    const statements = drawStatements(lines);
    for (const s of statements) {
      expect(Number.isInteger(s.totalFen)).toBe(true);
      expect(s.totalFen).toBe(s.rows.reduce((sum, r) => sum + r.amountFen, 0));
      expect(s.totalFen).toBe(
        lines.filter((l) => payerKey(l.payer) === payerKey(s.payer)).reduce((sum, l) => sum + l.amountFen, 0),
      );
    }
    expect(statements.reduce((sum, s) => sum + s.totalFen, 0)).toBe(total(lines));
    expect(statements.reduce((sum, s) => sum + s.rows.reduce((n, r) => n + r.items, 0), 0)).toBe(lines.length);
  });

  it('is deterministic: any order of the same lines gives equal statements', () => {
    expect(drawStatements([...lines].reverse())).toEqual(expected);
    const interleaved = lines.filter((_, i) => i % 2 === 1).concat(lines.filter((_, i) => i % 2 === 0));
    expect(drawStatements(interleaved)).toEqual(expected);
  });

  it('a finance department sees only its own jurisdiction’s lines', () => {
    const wujin = drawStatements(lines).find((s) => payerKey(s.payer) === 'FINANCE:wujin');
    expect(wujin?.rows.map((r) => r.partyId)).toEqual(['bu-wujin', 'bu-wujin', 'ex-1']);
    expect(wujin?.rows.some((r) => ['bu-city', 'bu-another', 'sup-1'].includes(r.partyId))).toBe(false);
    const city = drawStatements(lines).find((s) => payerKey(s.payer) === 'FINANCE:changzhou');
    expect(city?.rows.some((r) => ['bu-wujin', 'ex-1'].includes(r.partyId))).toBe(false);
  });

  it('a self-paying party sees only its own bill, not what finance pays for it', () => {
    const supplier = drawStatements(lines).find((s) => payerKey(s.payer) === 'SELF:sup-1');
    expect(supplier?.rows).toEqual([{ partyId: 'sup-1', kind: 'NEW', amountFen: 19200, items: 2 }]);
    const expert = drawStatements(lines).find((s) => payerKey(s.payer) === 'SELF:ex-1');
    expect(expert?.totalFen).toBe(19200);
  });

  it('no lines, no statements', () => {
    expect(drawStatements([])).toEqual([]);
  });
});

describe('formatYuan', () => {
  it.each([
    [11520, '115.20'],
    [19200, '192.00'],
    [5820, '58.20'],
    [9500, '95.00'],
    [5, '0.05'],
    [50, '0.50'],
    [0, '0.00'],
    [100, '1.00'],
    [-11520, '-115.20'],
  ])('%i fen → %s', (fen, yuan) => {
    expect(formatYuan(fen)).toBe(yuan);
  });
});
