import { addDays, daysBetween, isoWeekday, isWorkday, type LocalDate } from './calendar';
import { DomainError } from '../errors';
import {
  FEE_KINDS,
  loadPolicy,
  PARTY_TYPES,
  PolicyError,
  rebasePolicy,
  setPlatformStopDay,
  type CampaignPolicy,
  type PartyType,
  type PayerCase,
  type PayerKind,
} from '.';
import { changzhouPolicy, rawChangzhou, rawUrumqi, urumqiPolicy } from '../testing/policies';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function refusal(run: () => unknown): PolicyError {
  try {
    run();
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected a PolicyError');
}

const refusalOf = (doc: unknown) => refusal(() => loadPolicy(doc));

const broken = (edit: (d: Doc) => void): Doc => {
  const d = rawChangzhou() as Doc;
  edit(d);
  return d;
};

const pathsOf = (e: PolicyError) => e.issues.map((i) => i.path).sort();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('the 2023 Changzhou policy file', () => {
  const p = changzhouPolicy();

  it('is the campaign of 常财购〔2023〕12号 in Asia/Shanghai', () => {
    expect(p).toMatchObject({
      schemaVersion: 1,
      id: 'changzhou-2023',
      version: 1,
      issuedBy: '常州市财政局',
      issuedOn: '2023-09-01',
      timeZone: 'Asia/Shanghai',
      targetPlatform: 'SUCAIYUN',
    });
    expect(p.reference).toContain('常财购〔2023〕12号');
    expect(p.rebasedFrom).toBeUndefined();
  });

  it.each<[string, (p: CampaignPolicy) => unknown, unknown]>([
    ['applications open on the day of the notice', (x) => x.calendar.applicationsOpen, '2023-09-01'],
    ['the application deadline (budget units, centres)', (x) => x.calendar.applicationDeadline, '2023-09-04'],
    ['supplier on-site applications open', (x) => x.calendar.supplierApplicationsOpen, '2023-09-05'],
    ['replacement complete "in principle"', (x) => x.calendar.completionTarget, '2023-09-10'],
    ['the transition window starts', (x) => x.calendar.transitionWindow.start, '2023-09-11'],
    ['the transition window ends', (x) => x.calendar.transitionWindow.end, '2023-10-11'],
    ['the cut-over on SUCAIYUN', (x) => x.platforms['SUCAIYUN']?.oldCredentialStopsOn, '2023-10-12'],
    ['additional-set filings accepted from', (x) => x.calendar.additionalSetFilingsOpen, '2023-09-11'],
    ['CZ_PROCUREMENT awaits a later notice', (x) => x.platforms['CZ_PROCUREMENT']?.oldCredentialStopsOn, null],
  ])('carries docs/domain.md §4: %s → %p', (_name, read, value) => {
    expect(read(p)).toEqual(value);
  });

  it('has exactly the six calendar dates, nothing more', () => {
    expect(Object.keys(p.calendar).sort()).toEqual(
      [
        'additionalSetFilingsOpen',
        'applicationDeadline',
        'applicationsOpen',
        'completionTarget',
        'supplierApplicationsOpen',
        'transitionWindow',
      ].sort(),
    );
  });

  it('moves SUCAIYUN to the new credential and keeps the old one on CZ_PROCUREMENT', () => {
    expect(p.platforms['SUCAIYUN']?.migratesToNewCredential).toBe(true);
    expect(p.platforms['CZ_PROCUREMENT']?.migratesToNewCredential).toBe(false);
    expect(Object.keys(p.platforms).sort()).toEqual(['CZ_PROCUREMENT', 'SUCAIYUN']);
  });

  it('ties the deadline to budget units and centres, and suppliers to their own opening day at the window on workdays', () => {
    expect(p.partyTypes.BUDGET_UNIT).toMatchObject({
      channel: 'VIA_SUPERVISING_UNIT',
      applicationsOpen: 'applicationsOpen',
      applicationDeadline: 'applicationDeadline',
    });
    expect(p.partyTypes.PROCUREMENT_CENTER).toMatchObject({
      channel: 'DIRECT_TO_FINANCE',
      applicationDeadline: 'applicationDeadline',
    });
    expect(p.partyTypes.FRAMEWORK_SUPPLIER).toMatchObject({
      channel: 'SERVICE_WINDOW',
      jurisdictionLevels: ['CITY'],
      applicationsOpen: 'supplierApplicationsOpen',
      applicationDeadline: null,
    });
    expect(p.channels.SERVICE_WINDOW.workdaysOnly).toBe(true);
  });

  it('has the city bureau as the one root and the seven district-level bureaus under it', () => {
    const [city, ...districts] = p.jurisdictions;
    expect(city).toMatchObject({ code: 'changzhou', name: '常州市', level: 'CITY', parent: null });
    expect(city?.financeDepartment).toBe('市财政局政府采购管理处');
    expect(districts.map((j) => j.name)).toEqual([
      '溧阳市',
      '金坛区',
      '武进区',
      '新北区',
      '天宁区',
      '钟楼区',
      '常州经开区',
    ]);
    for (const j of districts) {
      expect(j).toMatchObject({ level: 'DISTRICT', parent: 'changzhou', financeDepartment: `${j.name}财政局` });
    }
    expect(new Set(p.jurisdictions.map((j) => j.code)).size).toBe(8);
  });

  it.each([
    ['NEW', 9700, 9500, 19200],
    ['REPLACEMENT', 5820, 5700, 11520],
    ['RENEWAL', 5820, 5700, 11520],
    ['REISSUE', 5820, 5700, 11520],
  ] as const)('charges docs/domain.md §5 fees for %s: CA %i + seal %i = set %i fen', (kind, ca, seal, set) => {
    expect(p.fees[kind]).toEqual({ ca, seal });
    expect(p.fees[kind].ca + p.fees[kind].seal).toBe(set);
  });

  it('has fees for exactly the four kinds', () => {
    expect(Object.keys(p.fees).sort()).toEqual([...FEE_KINDS].sort());
  });

  const F: PayerKind = 'FINANCE';
  const S: PayerKind = 'SELF';
  const payerTable: Record<PartyType, Record<PayerCase, [PayerKind, PayerKind]>> = {
    BUDGET_UNIT: {
      NEW: [F, F],
      REPLACEMENT_OLD_VALID: [F, F],
      REPLACEMENT_OLD_EXPIRED: [F, F],
      RENEWAL: [F, F],
      REISSUE: [F, F],
    },
    PROCUREMENT_CENTER: {
      NEW: [F, F],
      REPLACEMENT_OLD_VALID: [F, F],
      REPLACEMENT_OLD_EXPIRED: [F, F],
      RENEWAL: [F, F],
      REISSUE: [F, F],
    },
    EVALUATION_EXPERT: {
      NEW: [F, S],
      REPLACEMENT_OLD_VALID: [F, F],
      REPLACEMENT_OLD_EXPIRED: [S, S],
      RENEWAL: [F, F],
      REISSUE: [S, S],
    },
    FRAMEWORK_SUPPLIER: {
      NEW: [S, S],
      REPLACEMENT_OLD_VALID: [F, F],
      REPLACEMENT_OLD_EXPIRED: [S, S],
      RENEWAL: [S, S],
      REISSUE: [S, S],
    },
    SOCIAL_AGENCY: {
      NEW: [S, S],
      REPLACEMENT_OLD_VALID: [F, F],
      REPLACEMENT_OLD_EXPIRED: [S, S],
      RENEWAL: [S, S],
      REISSUE: [S, S],
    },
  };
  const payerRows = PARTY_TYPES.flatMap((t) =>
    (Object.keys(payerTable[t]) as PayerCase[]).map((c) => [t, c, ...payerTable[t][c]] as const),
  );

  it.each(payerRows)(
    'has docs/domain.md §5’s payer for %s, %s: first set %s, further sets %s',
    (t, c, first, further) => {
      expect(p.payers[t][c]).toMatchObject({ firstSet: first, furtherSets: further });
    },
  );

  it('marks the cells the notice is silent on as policy defaults', () => {
    for (const t of PARTY_TYPES) expect(p.payers[t].REPLACEMENT_OLD_EXPIRED.basis).toBe('POLICY_DEFAULT');
    expect(p.payers.EVALUATION_EXPERT.REISSUE.basis).toBe('POLICY_DEFAULT');
    expect(p.payers.EVALUATION_EXPERT.NEW.basis).toBe('NOTICE');
  });

  it('is exactly what the raw file says once defaults are applied', () => {
    expect(loadPolicy(rawChangzhou())).toEqual(p);
  });
});

describe('the made-up Urumqi campaign', () => {
  it('loads through the same code with its own zone, dates, platforms, tree and fees', () => {
    const u = loadPolicy(rawUrumqi());
    expect(u).toEqual(urumqiPolicy());
    expect(u).toMatchObject({
      id: 'urumqi-2025',
      timeZone: 'Asia/Urumqi',
      targetPlatform: 'ZCY',
      calendar: { applicationDeadline: '2025-03-14', transitionWindow: { start: '2025-03-24', end: '2025-04-30' } },
      platforms: { ZCY: { oldCredentialStopsOn: '2025-05-06' }, LOCAL: { oldCredentialStopsOn: null } },
      validity: { months: 24 },
      renewal: { windowDaysBeforeExpiry: 60 },
      fees: { NEW: { ca: 8800, seal: 9000 } },
    });
    expect(u.jurisdictions.filter((j) => j.parent === null).map((j) => j.code)).toEqual(['urumqi']);
    expect(u.jurisdictions).toHaveLength(9);
  });

  it('is refused by the same rules when broken', () => {
    const d = rawUrumqi() as Doc;
    d.fees.RENEWAL.seal = 44.5;
    expect(refusalOf(d).issues).toEqual([{ path: 'fees.RENEWAL.seal', rule: 'integer fen >= 0' }]);
  });
});

describe('a bad policy document', () => {
  it.each([
    ['a fraction of a fen', 97.5],
    ['negative fen', -1],
    ['fen as a string', '9700'],
    ['fen as null', null],
  ])('is refused for %s (%p), naming fees.NEW.ca and the rule', (_name, value) => {
    const e = refusalOf(broken((d) => (d.fees.NEW.ca = value)));
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe('POLICY_INVALID');
    expect(e.issues).toEqual([{ path: 'fees.NEW.ca', rule: 'integer fen >= 0' }]);
    expect(e.details).toEqual({ issues: e.issues });
    expect(e.message).toContain('fees.NEW.ca: integer fen >= 0');
  });

  it('accepts zero fen', () => {
    expect(loadPolicy(broken((d) => (d.fees.REISSUE.seal = 0))).fees.REISSUE.seal).toBe(0);
  });

  it('is refused for an unknown top-level field, naming it', () => {
    const e = refusalOf(broken((d) => (d.surprise = true)));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.path).toBe('(document)');
    expect(e.issues[0]?.rule).toContain('surprise');
  });

  it('is refused for an unknown nested field', () => {
    const e = refusalOf(broken((d) => (d.calendar.cutOver = '2023-10-12')));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.path).toBe('calendar');
    expect(e.issues[0]?.rule).toContain('cutOver');
  });

  it.each([
    ['validity', (d: Doc) => delete d.validity],
    ['calendar.completionTarget', (d: Doc) => delete d.calendar.completionTarget],
    ['fees.REISSUE', (d: Doc) => delete d.fees.REISSUE],
    ['payers.SOCIAL_AGENCY', (d: Doc) => delete d.payers.SOCIAL_AGENCY],
    ['timeZone', (d: Doc) => delete d.timeZone],
  ])('is refused for a missing %s', (path, edit) => {
    expect(pathsOf(refusalOf(broken(edit)))).toEqual([path]);
  });

  it.each(['Mars/Olympus', 'Asia/Beijing', '+08:00', ''])('is refused for the time zone %p', (tz) => {
    const e = refusalOf(broken((d) => (d.timeZone = tz)));
    expect(e.issues).toEqual([{ path: 'timeZone', rule: 'an IANA time zone such as Asia/Shanghai' }]);
  });

  it.each([
    ['calendar.applicationDeadline', '2023-02-30', (d: Doc, v: string) => (d.calendar.applicationDeadline = v)],
    ['calendar.transitionWindow.end', '2023-9-4', (d: Doc, v: string) => (d.calendar.transitionWindow.end = v)],
    ['issuedOn', '2023-13-01', (d: Doc, v: string) => (d.issuedOn = v)],
    ['workdays.holidays.0', '2023-02-29', (d: Doc, v: string) => (d.workdays.holidays[0] = v)],
    [
      'platforms.CZ_PROCUREMENT.oldCredentialStopsOn',
      '2024-02-30',
      (d: Doc, v: string) => (d.platforms.CZ_PROCUREMENT.oldCredentialStopsOn = v),
    ],
  ])('is refused for a bad date at %s (%s)', (path, value, edit) => {
    const e = refusalOf(broken((d) => edit(d, value)));
    expect(e.issues).toEqual([{ path, rule: 'a calendar day YYYY-MM-DD' }]);
  });

  it('is refused for a transition window that ends before it starts (cross-field)', () => {
    const e = refusalOf(broken((d) => (d.calendar.transitionWindow.end = '2023-09-10')));
    expect(e.issues).toContainEqual({
      path: 'calendar.transitionWindow.end',
      rule: expect.stringContaining('calendar.transitionWindow.start') as string,
    });
    expect(e.issues.find((i) => i.path === 'calendar.transitionWindow.end')?.rule).toContain('on or after');
  });

  it('accepts a transition window of a single day', () => {
    const p = loadPolicy(broken((d) => (d.calendar.transitionWindow.end = '2023-09-11')));
    expect(p.calendar.transitionWindow).toEqual({ start: '2023-09-11', end: '2023-09-11' });
  });

  it.each([
    ['the last day of the window', '2023-10-11'],
    ['a day inside the window', '2023-10-01'],
    ['a day before the window', '2023-09-01'],
  ])('is refused for a cut-over on %s (%s): it must be after the window', (_name, day) => {
    const e = refusalOf(broken((d) => (d.platforms.SUCAIYUN.oldCredentialStopsOn = day)));
    expect(e.issues).toEqual([
      {
        path: 'platforms.SUCAIYUN.oldCredentialStopsOn',
        rule: `must be after calendar.transitionWindow.end (2023-10-11), got ${day}`,
      },
    ]);
  });

  it('accepts a cut-over later than the day after the window', () => {
    expect(loadPolicy(broken((d) => (d.platforms.SUCAIYUN.oldCredentialStopsOn = '2023-10-20'))).calendar).toEqual(
      changzhouPolicy().calendar,
    );
  });

  it.each([
    ['calendar.applicationDeadline', (d: Doc) => (d.calendar.applicationDeadline = '2023-08-31')],
    ['calendar.supplierApplicationsOpen', (d: Doc) => (d.calendar.supplierApplicationsOpen = '2023-08-31')],
    ['calendar.completionTarget', (d: Doc) => (d.calendar.completionTarget = '2023-08-31')],
    ['calendar.additionalSetFilingsOpen', (d: Doc) => (d.calendar.additionalSetFilingsOpen = '2023-08-31')],
    ['calendar.transitionWindow.start', (d: Doc) => (d.calendar.transitionWindow.start = '2023-08-31')],
  ])('is refused when %s comes before applications open', (path, edit) => {
    const e = refusalOf(broken(edit));
    expect(e.issues).toEqual([
      { path, rule: 'must be on or after calendar.applicationsOpen (2023-09-01), got 2023-08-31' },
    ]);
  });

  it('is refused for a target platform that is not among the platforms', () => {
    const e = refusalOf(broken((d) => (d.targetPlatform = 'NOWHERE')));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.path).toBe('targetPlatform');
    expect(e.issues[0]?.rule).toContain('SUCAIYUN, CZ_PROCUREMENT');
  });

  it('is refused for a target platform that does not migrate, or has no cut-over day', () => {
    expect(pathsOf(refusalOf(broken((d) => (d.targetPlatform = 'CZ_PROCUREMENT'))))).toEqual([
      'platforms.CZ_PROCUREMENT.migratesToNewCredential',
    ]);
    expect(pathsOf(refusalOf(broken((d) => (d.platforms.SUCAIYUN.oldCredentialStopsOn = null))))).toEqual([
      'platforms.SUCAIYUN.oldCredentialStopsOn',
    ]);
  });

  describe('with a broken jurisdiction tree', () => {
    it('is refused for two roots', () => {
      const e = refusalOf(broken((d) => (d.jurisdictions[1].parent = null)));
      expect(e.issues).toEqual([
        { path: 'jurisdictions', rule: 'the tree needs exactly one root (parent null), got 2' },
      ]);
    });

    it('is refused for no root at all', () => {
      const e = refusalOf(broken((d) => (d.jurisdictions[0].parent = 'liyang')));
      expect(e.issues).toContainEqual({
        path: 'jurisdictions',
        rule: 'the tree needs exactly one root (parent null), got 0',
      });
    });

    it('is refused for an unknown parent', () => {
      const e = refusalOf(broken((d) => (d.jurisdictions[2].parent = 'nanjing')));
      expect(e.issues).toEqual([{ path: 'jurisdictions.2.parent', rule: "unknown jurisdiction 'nanjing'" }]);
    });

    it('is refused for a cycle, naming every member', () => {
      const e = refusalOf(
        broken((d) => {
          d.jurisdictions[1].parent = 'jintan';
          d.jurisdictions[2].parent = 'liyang';
        }),
      );
      expect(e.issues).toEqual([
        { path: 'jurisdictions.1.parent', rule: "cycle through 'liyang'" },
        { path: 'jurisdictions.2.parent', rule: "cycle through 'jintan'" },
      ]);
    });

    it('is refused for a jurisdiction that is its own parent', () => {
      const e = refusalOf(broken((d) => (d.jurisdictions[5].parent = 'tianning')));
      expect(e.issues).toEqual([{ path: 'jurisdictions.5.parent', rule: "cycle through 'tianning'" }]);
    });

    it('is refused for a duplicate code', () => {
      const e = refusalOf(broken((d) => (d.jurisdictions[3].code = 'liyang')));
      expect(e.issues).toEqual([{ path: 'jurisdictions.3.code', rule: "duplicate code 'liyang'" }]);
    });

    it('is refused when a party type needs a level the tree lacks', () => {
      const e = refusalOf(
        broken((d) => {
          d.jurisdictions = (d.jurisdictions as unknown[]).slice(0, 1);
        }),
      );
      expect(pathsOf(e)).toEqual(
        [
          'partyTypes.BUDGET_UNIT.jurisdictionLevels',
          'partyTypes.PROCUREMENT_CENTER.jurisdictionLevels',
          'partyTypes.EVALUATION_EXPERT.jurisdictionLevels',
          'partyTypes.SOCIAL_AGENCY.jurisdictionLevels',
        ].sort(),
      );
    });
  });

  it('is refused for a duplicate reminder id, naming the later one', () => {
    const e = refusalOf(broken((d) => (d.reminders[4].id = 'application-due-3d')));
    expect(e.issues).toEqual([{ path: 'reminders.4.id', rule: "duplicate id 'application-due-3d'" }]);
  });

  it('reports every schema problem at once, each with its path and rule', () => {
    const e = refusalOf(
      broken((d) => {
        d.fees.NEW.ca = 97.5;
        d.fees.REISSUE.seal = -1;
        d.timeZone = 'Mars/Olympus';
        d.calendar.applicationDeadline = '2023-02-30';
        d.surprise = true;
        delete d.validity;
      }),
    );
    expect(e.code).toBe('POLICY_INVALID');
    expect(pathsOf(e)).toEqual(
      ['(document)', 'calendar.applicationDeadline', 'fees.NEW.ca', 'fees.REISSUE.seal', 'timeZone', 'validity'].sort(),
    );
    for (const i of e.issues) {
      expect(i.rule.length).toBeGreaterThan(0);
      expect(e.message).toContain(`${i.path}: ${i.rule}`);
    }
  });

  it('reports every cross-field problem at once', () => {
    const e = refusalOf(
      broken((d) => {
        d.calendar.transitionWindow.end = '2023-09-10';
        d.targetPlatform = 'NOWHERE';
        d.jurisdictions[1].parent = null;
        d.jurisdictions[2].parent = 'nanjing';
        d.jurisdictions[3].code = 'liyang';
        d.reminders[1].id = 'application-due-3d';
      }),
    );
    expect(pathsOf(e)).toEqual(
      [
        'calendar.transitionWindow.end',
        'targetPlatform',
        'jurisdictions',
        'jurisdictions.2.parent',
        'jurisdictions.3.code',
        'reminders.1.id',
      ].sort(),
    );
  });

  it('reports schema and cross-field problems together, not only the first kind', () => {
    const e = refusalOf(
      broken((d) => {
        d.fees.NEW.ca = 97.5;
        d.calendar.transitionWindow.end = '2023-09-10';
        d.reminders[1].id = 'application-due-3d';
      }),
    );
    expect(pathsOf(e)).toEqual(['calendar.transitionWindow.end', 'fees.NEW.ca', 'reminders.1.id']);
  });
});

describe('a later notice sets a platform’s stop day', () => {
  it('records CZ_PROCUREMENT’s day as the next version of the same campaign, changing nothing else', () => {
    const before = changzhouPolicy();
    const p = setPlatformStopDay(before, 'CZ_PROCUREMENT', '2024-01-01');
    expect(p.platforms['CZ_PROCUREMENT']).toEqual({
      ...before.platforms['CZ_PROCUREMENT'],
      oldCredentialStopsOn: '2024-01-01',
    });
    expect(p).toEqual({
      ...before,
      version: 2,
      platforms: { ...before.platforms, CZ_PROCUREMENT: p.platforms['CZ_PROCUREMENT'] },
    });
    expect(loadPolicy(p)).toEqual(p);
  });

  it('leaves the policy it amends as it was', () => {
    const before = deepFreeze(changzhouPolicy());
    setPlatformStopDay(before, 'CZ_PROCUREMENT', '2024-01-01');
    expect(before.version).toBe(1);
    expect(before.platforms['CZ_PROCUREMENT']?.oldCredentialStopsOn).toBeNull();
  });

  it('bumps the version again on a further amendment', () => {
    const once = setPlatformStopDay(changzhouPolicy(), 'CZ_PROCUREMENT', '2024-01-01');
    const twice = setPlatformStopDay(once, 'CZ_PROCUREMENT', '2024-03-01');
    expect(twice).toMatchObject({ version: 3, platforms: { CZ_PROCUREMENT: { oldCredentialStopsOn: '2024-03-01' } } });
  });

  it.each(['NOWHERE', 'sucaiyun', 'toString', '__proto__'])('refuses the unknown platform %p', (platform) => {
    const e = refusal(() => setPlatformStopDay(changzhouPolicy(), platform, '2024-01-01'));
    expect(e.code).toBe('POLICY_INVALID');
    expect(e.issues).toEqual([
      { path: `platforms.${platform}`, rule: 'unknown platform; known: SUCAIYUN, CZ_PROCUREMENT' },
    ]);
  });

  it('refuses a day that does not exist', () => {
    const e = refusal(() => setPlatformStopDay(changzhouPolicy(), 'CZ_PROCUREMENT', '2024-02-30'));
    expect(pathsOf(e)).toEqual(['platforms.CZ_PROCUREMENT.oldCredentialStopsOn']);
  });

  it('refuses moving the target platform’s cut-over into the transition window', () => {
    const e = refusal(() => setPlatformStopDay(changzhouPolicy(), 'SUCAIYUN', '2023-10-11'));
    expect(pathsOf(e)).toEqual(['platforms.SUCAIYUN.oldCredentialStopsOn']);
  });
});

describe('rebasing a campaign for a rehearsal', () => {
  const historic = changzhouPolicy();
  const calendarDates = (p: CampaignPolicy): LocalDate[] => [
    p.calendar.applicationsOpen,
    p.calendar.applicationDeadline,
    p.calendar.supplierApplicationsOpen,
    p.calendar.completionTarget,
    p.calendar.transitionWindow.start,
    p.calendar.transitionWindow.end,
    p.calendar.additionalSetFilingsOpen,
  ];
  const allDates = (p: CampaignPolicy): LocalDate[] => [
    ...calendarDates(p),
    ...Object.values(p.platforms).flatMap((x) => (x.oldCredentialStopsOn === null ? [] : [x.oldCredentialStopsOn])),
    ...p.workdays.holidays,
    ...p.workdays.adjustedWorkdays,
  ];
  const targets = ['2026-11-22', '2025-01-01', '2024-02-29', '2023-09-01', '2023-08-31', '2020-01-01', '2031-06-15'];
  const cases = targets.flatMap((t) => [
    [t, 'onOrBefore'],
    [t, 'onOrAfter'],
  ]) as [LocalDate, 'onOrBefore' | 'onOrAfter'][];

  it.each(cases)('moves every date by the same whole number of weeks when rebased to %s (%s)', (target, align) => {
    const r = rebasePolicy(historic, target, align);
    const before = allDates(historic);
    const after = allDates(r);
    expect(after).toHaveLength(before.length);
    expect(before.length).toBe(7 + 1 + 6 + 2);
    const shifts = before.map((d, i) => daysBetween(d, after[i]!));
    expect(new Set(shifts)).toEqual(new Set([shifts[0]]));
    expect(Math.abs(shifts[0]! % 7)).toBe(0);
    expect(r.rebasedFrom).toEqual({ policyId: 'changzhou-2023', shiftDays: shifts[0] });
  });

  it.each(cases)(
    'preserves the interval between every pair of calendar dates when rebased to %s (%s)',
    (target, align) => {
      const before = calendarDates(historic);
      const after = calendarDates(rebasePolicy(historic, target, align));
      for (let i = 0; i < before.length; i++)
        for (let j = 0; j < before.length; j++)
          expect([i, j, daysBetween(after[i]!, after[j]!)]).toEqual([i, j, daysBetween(before[i]!, before[j]!)]);
    },
  );

  it.each(cases)('preserves the weekday of every date when rebased to %s (%s)', (target, align) => {
    expect(allDates(rebasePolicy(historic, target, align)).map(isoWeekday)).toEqual(allDates(historic).map(isoWeekday));
  });

  it.each(targets)('opens on or before %s and less than a week before it by default', (target) => {
    const open = rebasePolicy(historic, target).calendar.applicationsOpen;
    expect(daysBetween(open, target)).toBeGreaterThanOrEqual(0);
    expect(daysBetween(open, target)).toBeLessThan(7);
  });

  it.each(targets)('opens on or after %s and less than a week after it with onOrAfter', (target) => {
    const open = rebasePolicy(historic, target, 'onOrAfter').calendar.applicationsOpen;
    expect(daysBetween(target, open)).toBeGreaterThanOrEqual(0);
    expect(daysBetween(target, open)).toBeLessThan(7);
  });

  it('picks the Friday before and the Friday after a Sunday target', () => {
    expect(rebasePolicy(historic, '2026-11-22').calendar.applicationsOpen).toBe('2026-11-20');
    expect(rebasePolicy(historic, '2026-11-22', 'onOrAfter').calendar.applicationsOpen).toBe('2026-11-27');
  });

  it.each(['onOrBefore', 'onOrAfter'] as const)('is exact for a target on the same weekday (%s)', (align) => {
    const r = rebasePolicy(historic, '2026-11-20', align);
    expect(r.calendar.applicationsOpen).toBe('2026-11-20');
    expect(r.rebasedFrom?.shiftDays).toBe(daysBetween('2023-09-01', '2026-11-20'));
  });

  it('keeps the workday pattern, holidays and 调休 moving with the calendar', () => {
    const r = rebasePolicy(historic, '2026-11-20');
    const shift = r.rebasedFrom!.shiftDays;
    for (let d = '2023-09-01'; d <= '2023-10-31'; d = addDays(d, 1))
      expect([d, isWorkday(addDays(d, shift), r.workdays)]).toEqual([d, isWorkday(d, historic.workdays)]);
  });

  it('names the rehearsal after its opening day and records the original id and total shift', () => {
    const once = rebasePolicy(historic, '2026-11-20');
    expect(once).toMatchObject({
      id: 'changzhou-2023.rehearsal-2026-11-20',
      rebasedFrom: { policyId: 'changzhou-2023', shiftDays: 1176 },
    });
    expect(loadPolicy(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it('keeps the original id and accumulates the shift when a rehearsal is rebased again', () => {
    const once = rebasePolicy(historic, '2026-11-20');
    const twice = rebasePolicy(once, '2026-11-27');
    expect(twice).toMatchObject({
      id: 'changzhou-2023.rehearsal-2026-11-27',
      rebasedFrom: { policyId: 'changzhou-2023', shiftDays: 1183 },
    });
    const back = rebasePolicy(twice, '2023-09-01');
    expect(back.rebasedFrom).toEqual({ policyId: 'changzhou-2023', shiftDays: 0 });
    expect(back.calendar).toEqual(historic.calendar);
    expect(back.workdays).toEqual(historic.workdays);
  });

  it('leaves the historic policy unchanged, and the file still loads as it was', () => {
    const frozen = deepFreeze(changzhouPolicy());
    const snapshot = JSON.stringify(frozen);
    rebasePolicy(frozen, '2026-11-20');
    rebasePolicy(historic, '2026-11-20', 'onOrAfter');
    expect(JSON.stringify(frozen)).toBe(snapshot);
    expect(historic).toEqual(changzhouPolicy());
    expect(changzhouPolicy()).toMatchObject({ id: 'changzhou-2023', calendar: { applicationsOpen: '2023-09-01' } });
    expect(changzhouPolicy().rebasedFrom).toBeUndefined();
  });

  it('leaves a platform without a stop day without one', () => {
    expect(rebasePolicy(historic, '2026-11-20').platforms['CZ_PROCUREMENT']?.oldCredentialStopsOn).toBeNull();
  });

  it('rebases the made-up Urumqi campaign the same way', () => {
    const u = urumqiPolicy();
    const r = rebasePolicy(u, '2026-03-01');
    expect(r.id).toBe(`urumqi-2025.rehearsal-${r.calendar.applicationsOpen}`);
    expect(isoWeekday(r.calendar.applicationsOpen)).toBe(isoWeekday(u.calendar.applicationsOpen));
    expect(daysBetween(r.calendar.applicationsOpen, '2026-03-01')).toBeGreaterThanOrEqual(0);
    expect(daysBetween(r.calendar.applicationsOpen, '2026-03-01')).toBeLessThan(7);
    expect(daysBetween(u.platforms['ZCY']!.oldCredentialStopsOn!, r.platforms['ZCY']!.oldCredentialStopsOn!)).toBe(
      r.rebasedFrom!.shiftDays,
    );
    expect(r.platforms['LOCAL']?.oldCredentialStopsOn).toBeNull();
  });

  it.each(['2026-11-31', '2026-1-1', '2026-02-29', 'tomorrow', ''])('refuses the target %p', (target) => {
    const e = refusal(() => rebasePolicy(historic, target));
    expect(e.issues).toEqual([{ path: 'startOn', rule: 'a calendar day YYYY-MM-DD' }]);
  });
});
