import { daysBetween, isoWeekday } from './calendar';
import { loadPolicy, PolicyError, rebasePolicy, setPlatformStopDay, type CampaignPolicy } from './policy';
import { changzhouPolicy, rawChangzhou, urumqiPolicy } from '../testing/policies';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function refusal(doc: unknown): PolicyError {
  try {
    loadPolicy(doc);
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected the policy to be refused');
}

const broken = (edit: (d: Doc) => void): Doc => {
  const d = rawChangzhou() as Doc;
  edit(d);
  return d;
};

describe('the 2023 Changzhou policy file', () => {
  const p = changzhouPolicy();

  it('carries the dates of the notice (DOMAIN.md §4)', () => {
    expect(p.timeZone).toBe('Asia/Shanghai');
    expect(p.calendar).toEqual({
      applicationsOpen: '2023-09-01',
      applicationDeadline: '2023-09-04',
      supplierApplicationsOpen: '2023-09-05',
      completionTarget: '2023-09-10',
      transitionWindow: { start: '2023-09-11', end: '2023-10-11' },
      additionalSetFilingsOpen: '2023-09-11',
    });
    expect(p.platforms['SUCAIYUN']?.oldCredentialStopsOn).toBe('2023-10-12');
    expect(p.platforms['CZ_PROCUREMENT']?.oldCredentialStopsOn).toBeNull();
  });

  it('has the city bureau and the seven district-level bureaus', () => {
    expect(p.jurisdictions.map((j) => j.name)).toEqual([
      '常州市',
      '溧阳市',
      '金坛区',
      '武进区',
      '新北区',
      '天宁区',
      '钟楼区',
      '常州经开区',
    ]);
    expect(p.jurisdictions.filter((j) => j.parent === 'changzhou')).toHaveLength(7);
  });

  it('has the fees of §二 in fen', () => {
    expect(p.fees).toEqual({
      NEW: { ca: 9700, seal: 9500 },
      REPLACEMENT: { ca: 5820, seal: 5700 },
      RENEWAL: { ca: 5820, seal: 5700 },
      REISSUE: { ca: 5820, seal: 5700 },
    });
  });

  it('loads the made-up second campaign through the same code', () => {
    expect(urumqiPolicy()).toMatchObject({ id: 'urumqi-2025', timeZone: 'Asia/Urumqi', targetPlatform: 'ZCY' });
  });
});

describe('a bad policy document', () => {
  it.each([
    ['a fraction of a fen', (d: Doc) => (d.fees.NEW.ca = 97.5)],
    ['negative fen', (d: Doc) => (d.fees.NEW.ca = -1)],
    ['fen as a string', (d: Doc) => (d.fees.NEW.ca = '9700')],
  ])('is refused for %s, naming fees.NEW.ca', (_name, edit) => {
    expect(refusal(broken(edit)).issues).toEqual([{ path: 'fees.NEW.ca', rule: 'integer fen >= 0' }]);
  });

  it('reports every problem at once, each with its path', () => {
    const e = refusal(
      broken((d) => {
        d.fees.NEW.ca = 97.5;
        d.timeZone = 'Mars/Olympus';
        d.calendar.applicationDeadline = '2023-02-30';
        d.surprise = true;
        delete d.validity;
      }),
    );
    expect(e.code).toBe('POLICY_INVALID');
    const paths = e.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['(document)', 'calendar.applicationDeadline', 'fees.NEW.ca', 'timeZone', 'validity'].sort());
    expect(e.issues.find((i) => i.path === 'timeZone')?.rule).toContain('IANA');
  });

  it.each([
    [
      'a transition window ending before it starts',
      (d: Doc) => (d.calendar.transitionWindow.end = '2023-09-10'),
      'calendar.transitionWindow.end',
    ],
    [
      'a cut-over not after the window',
      (d: Doc) => (d.platforms.SUCAIYUN.oldCredentialStopsOn = '2023-10-11'),
      'platforms.SUCAIYUN.oldCredentialStopsOn',
    ],
    [
      'a deadline before applications open',
      (d: Doc) => (d.calendar.applicationDeadline = '2023-08-31'),
      'calendar.applicationDeadline',
    ],
    ['a target platform that is not listed', (d: Doc) => (d.targetPlatform = 'NOWHERE'), 'targetPlatform'],
    [
      'a target platform without a cut-over',
      (d: Doc) => (d.platforms.SUCAIYUN.oldCredentialStopsOn = null),
      'platforms.SUCAIYUN.oldCredentialStopsOn',
    ],
    ['two roots in the jurisdiction tree', (d: Doc) => (d.jurisdictions[1].parent = null), 'jurisdictions'],
    ['an unknown parent', (d: Doc) => (d.jurisdictions[2].parent = 'nanjing'), 'jurisdictions.2.parent'],
    ['a duplicate jurisdiction code', (d: Doc) => (d.jurisdictions[3].code = 'liyang'), 'jurisdictions.3.code'],
    [
      'a duplicate reminder id',
      (d: Doc) => {
        d.reminders[1].id = d.reminders[0].id as string;
      },
      'reminders.1.id',
    ],
  ])('is refused for %s', (_name, edit, path) => {
    expect(refusal(broken(edit)).issues.map((i) => i.path)).toContain(path);
  });

  it('is refused for a cycle in the jurisdiction tree', () => {
    const e = refusal(
      broken((d) => {
        d.jurisdictions[1].parent = 'jintan';
        d.jurisdictions[2].parent = 'liyang';
      }),
    );
    expect(e.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'jurisdictions.1.parent', rule: expect.stringContaining('cycle') }),
      ]),
    );
  });
});

describe('a later notice sets a platform’s stop day', () => {
  it('records CZ_PROCUREMENT’s day as a new version of the same campaign', () => {
    const p = setPlatformStopDay(changzhouPolicy(), 'CZ_PROCUREMENT', '2024-01-01');
    expect(p).toMatchObject({
      id: 'changzhou-2023',
      version: 2,
      platforms: { CZ_PROCUREMENT: { oldCredentialStopsOn: '2024-01-01' } },
    });
  });

  it('refuses an unknown platform', () => {
    expect(() => setPlatformStopDay(changzhouPolicy(), 'NOWHERE', '2024-01-01')).toThrow(PolicyError);
  });
});

describe('rebasing a campaign', () => {
  const historic = changzhouPolicy();
  const dates = (p: CampaignPolicy) => [
    p.calendar.applicationsOpen,
    p.calendar.applicationDeadline,
    p.calendar.supplierApplicationsOpen,
    p.calendar.completionTarget,
    p.calendar.transitionWindow.start,
    p.calendar.transitionWindow.end,
    p.calendar.additionalSetFilingsOpen,
    p.platforms['SUCAIYUN']!.oldCredentialStopsOn!,
    ...p.workdays.holidays,
    ...p.workdays.adjustedWorkdays,
  ];

  it('moves every date by the same whole number of weeks, keeping intervals and weekdays', () => {
    const r = rebasePolicy(historic, '2026-11-22');
    const shifts = dates(historic).map((d, i) => daysBetween(d, dates(r)[i]!));
    expect(new Set(shifts).size).toBe(1);
    expect(shifts[0]! % 7).toBe(0);
    expect(dates(r).map(isoWeekday)).toEqual(dates(historic).map(isoWeekday));
    expect(r.platforms['CZ_PROCUREMENT']?.oldCredentialStopsOn).toBeNull();
  });

  it('opens on the same weekday on or before the target by default, and on or after on request', () => {
    const before = rebasePolicy(historic, '2026-11-22').calendar.applicationsOpen;
    const after = rebasePolicy(historic, '2026-11-22', 'onOrAfter').calendar.applicationsOpen;
    expect(daysBetween(before, '2026-11-22')).toBeGreaterThanOrEqual(0);
    expect(daysBetween(before, '2026-11-22')).toBeLessThan(7);
    expect(daysBetween('2026-11-22', after)).toBeGreaterThanOrEqual(0);
    expect(daysBetween('2026-11-22', after)).toBeLessThan(7);
    expect(before).toBe('2026-11-20');
    expect(after).toBe('2026-11-27');
  });

  it('is exact when the target is already the same weekday', () => {
    expect(rebasePolicy(historic, '2026-11-20').calendar.applicationsOpen).toBe('2026-11-20');
  });

  it('names the rehearsal and records where it came from, across repeated rebases', () => {
    const once = rebasePolicy(historic, '2026-11-20');
    expect(once).toMatchObject({
      id: 'changzhou-2023.rehearsal-2026-11-20',
      rebasedFrom: { policyId: 'changzhou-2023', shiftDays: 1176 },
    });
    const twice = rebasePolicy(once, '2026-11-27');
    expect(twice.rebasedFrom).toEqual({ policyId: 'changzhou-2023', shiftDays: 1183 });
  });

  it('leaves the historic policy as it is', () => {
    const before = JSON.stringify(historic);
    rebasePolicy(historic, '2026-11-20');
    expect(JSON.stringify(historic)).toBe(before);
    expect(changzhouPolicy().calendar.applicationsOpen).toBe('2023-09-01');
  });

  it('refuses a target that is not a day', () => {
    expect(() => rebasePolicy(historic, '2026-11-31')).toThrow(PolicyError);
  });
});
