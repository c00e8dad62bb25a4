import { ValidationError } from '../errors';
import {
  assertValid,
  checkCreditCode,
  checkLandline,
  checkMobile,
  checkPhone,
  checkResidentId,
  collectIssues,
  makeResidentIdCheck,
} from './identifiers';

// ---------------------------------------------------------------------------------------------
// Independent reference computations (deliberately not sharing tables or formulas with the
// implementation).
// ---------------------------------------------------------------------------------------------

/** GB 32100-2015 character values, written out by hand. */
const CREDIT_VALUE: Readonly<Record<string, number>> = {
  '0': 0,
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
  '5': 5,
  '6': 6,
  '7': 7,
  '8': 8,
  '9': 9,
  A: 10,
  B: 11,
  C: 12,
  D: 13,
  E: 14,
  F: 15,
  G: 16,
  H: 17,
  J: 18,
  K: 19,
  L: 20,
  M: 21,
  N: 22,
  P: 23,
  Q: 24,
  R: 25,
  T: 26,
  U: 27,
  W: 28,
  X: 29,
  Y: 30,
};

/** The character c for which (weighted sum + value(c)) is a multiple of 31, weights 3^i mod 31. */
function creditCheckChar(body17: string): string {
  let sum = 0;
  let weight = 1;
  for (const ch of body17) {
    const v = CREDIT_VALUE[ch];
    if (v === undefined) throw new Error(`test helper: '${ch}' has no value`);
    sum += v * weight;
    weight = (weight * 3) % 31;
  }
  const found = Object.entries(CREDIT_VALUE).find(([, v]) => (sum + v) % 31 === 0);
  if (!found) throw new Error('test helper: no check character');
  return found[0];
}

const creditCode = (body17: string): string => body17 + creditCheckChar(body17);

/** ISO 7064 MOD 11-2: the check value c (10 written X) with sum(d_i * 2^(17-i) mod 11) + c ≡ 1 (mod 11). */
function residentCheckChar(body17: string): string {
  let sum = 0;
  [...body17].forEach((ch, i) => {
    sum += Number(ch) * (2 ** (17 - i) % 11);
  });
  for (let c = 0; c <= 10; c++) {
    if ((sum + c) % 11 === 1) return c === 10 ? 'X' : String(c);
  }
  throw new Error('test helper: no check character');
}

/** A resident ID with the given area, birth date (YYYYMMDD) and sequence, with a correct check character. */
const residentId = (area: string, birth: string, sequence = '123'): string =>
  area + birth + sequence + residentCheckChar(area + birth + sequence);

/** A code whose last character is wrong, and the character it should have been. */
function withWrongLast(valid: string, alphabet: string): [string, string] {
  const right = valid.charAt(valid.length - 1);
  const wrong = alphabet.split('').find((c) => c !== right) ?? '';
  return [valid.slice(0, -1) + wrong, right];
}

describe('the independent test helpers', () => {
  it('reproduce the check characters printed in GB 32100-2015 and GB 11643-1999', () => {
    expect(creditCode('91350100M000100Y4')).toBe('91350100M000100Y43');
    expect(residentId('110105', '19491231', '002')).toBe('11010519491231002X');
    expect(residentId('440524', '18800101', '001')).toBe('440524188001010014');
  });
});

// ---------------------------------------------------------------------------------------------
// checkCreditCode
// ---------------------------------------------------------------------------------------------

describe('checkCreditCode', () => {
  const path = 'unit.creditCode';

  it.each([
    ['the GB 32100-2015 example', '91350100M000100Y43'],
    ['a published enterprise code', '914403001922038216'],
    ['a published enterprise code ending in a letter', '91330100716105852F'],
    ['a published enterprise code with X inside', '9144030071526726XG'],
    ['a published enterprise code ending in B', '91110000802100433B'],
    ['a published enterprise code ending in X', '91310000132260250X'],
    ['a published public-institution code', '12100000425006133D'],
  ])('accepts %s (%s)', (_label, code) => {
    expect(checkCreditCode(code, path)).toBeUndefined();
  });

  it.each(['11', '12', '13', '19', '21', '35', '41', '53', '62', '72', '81', '91', '92', '93', 'A1', 'N3', 'Y1'])(
    'accepts a code with authority and category %s when the check character is right',
    (prefix) => {
      const code = creditCode(`${prefix}320400MA1N2P3Q4`);
      expect(checkCreditCode(code, path)).toBeUndefined();
    },
  );

  it.each([
    ['911100001000013427', 'C', '7'],
    ['91320400137179395D', '5', 'D'],
  ])('rejects %s, which circulates but fails its own check character', (code, expected, got) => {
    expect(checkCreditCode(code, path)).toEqual({
      path,
      rule: `check character must be '${expected}' (got '${got}')`,
    });
  });

  it('rejects a valid code whose last character alone is changed', () => {
    const [bad, right] = withWrongLast('91350100M000100Y43', '0123456789');
    expect(checkCreditCode(bad, path)).toEqual({ path, rule: `check character must be '${right}' (got '0')` });
  });

  it('rejects a code one character short, naming the length found', () => {
    expect(checkCreditCode('91350100M000100Y4', path)).toEqual({ path, rule: 'must be 18 characters (got 17)' });
  });

  it('rejects a code one character long, naming the length found', () => {
    expect(checkCreditCode('91350100M000100Y430', path)).toEqual({ path, rule: 'must be 18 characters (got 19)' });
  });

  it('rejects an empty value as having no characters', () => {
    expect(checkCreditCode('', path)).toEqual({ path, rule: 'must be 18 characters (got 0)' });
  });

  it('rejects a lowercase letter and says uppercase is required', () => {
    expect(checkCreditCode('91330100716105852f', path)).toEqual({
      path,
      rule: "must be uppercase: character 'f' at position 18 is lowercase",
    });
    expect(checkCreditCode('91350100m000100Y43', path)).toEqual({
      path,
      rule: "must be uppercase: character 'm' at position 9 is lowercase",
    });
  });

  it.each(['I', 'O', 'S', 'V', 'Z'])('rejects the letter %s, which GB 32100-2015 leaves out', (letter) => {
    const code = `9135010${letter}M000100Y43`;
    expect(checkCreditCode(code, path)).toEqual({
      path,
      rule: `character '${letter}' at position 8 is not in the GB 32100-2015 alphabet`,
    });
  });

  it('rejects punctuation and full-width characters as outside the alphabet', () => {
    expect(checkCreditCode('9135-100M000100Y43', path)?.rule).toBe(
      "character '-' at position 5 is not in the GB 32100-2015 alphabet",
    );
    expect(checkCreditCode('９1350100M000100Y43', path)?.rule).toBe(
      "character '９' at position 1 is not in the GB 32100-2015 alphabet",
    );
  });

  it.each(['0', 'B', 'M', 'X'])('rejects registration authority code %s even with a right check character', (a) => {
    const code = creditCode(`${a}1350100M000100Y4`);
    expect(checkCreditCode(code, path)).toEqual({
      path,
      rule: `registration authority code '${a}' (position 1) is not defined by GB 32100-2015 (expected one of 1, 2, 3, 4, 5, 6, 7, 8, 9, A, N, Y)`,
    });
  });

  it.each([
    ['9', '4', '1, 2, 3'],
    ['9', '9', '1, 2, 3'],
    ['5', '4', '1, 2, 3, 9'],
    ['Y', '2', '1'],
    ['1', 'A', '1, 2, 3, 9'],
  ])(
    'rejects organisation category %s%s that its registration authority does not define',
    (authority, category, expected) => {
      const code = creditCode(`${authority}${category}350100M000100Y4`);
      expect(checkCreditCode(code, path)).toEqual({
        path,
        rule: `organisation category '${category}' (position 2) is not defined for registration authority '${authority}' (expected one of ${expected})`,
      });
    },
  );

  it('rejects a letter in the administrative division code even with a right check character', () => {
    const code = creditCode('9135A100M000100Y4');
    expect(checkCreditCode(code, path)).toEqual({
      path,
      rule: "administrative division code (positions 3-8) must be 6 digits (got '35A100')",
    });
  });

  it('reports the path it was given', () => {
    expect(checkCreditCode('X', 'parties[2].creditCode')?.path).toBe('parties[2].creditCode');
  });
});

// ---------------------------------------------------------------------------------------------
// checkResidentId / makeResidentIdCheck
// ---------------------------------------------------------------------------------------------

describe('checkResidentId', () => {
  const path = 'handler.idNumber';

  it('accepts the GB 11643-1999 example 11010519491231002X', () => {
    expect(checkResidentId('11010519491231002X', path)).toBeUndefined();
  });

  it('refuses the GB 11643-1999 example 440524188001010014 only for its 1880 birth date', () => {
    expect(checkResidentId('440524188001010014', path)).toEqual({
      path,
      rule: 'birth date 1880-01-01 is before 1900-01-01',
    });
  });

  it.each([
    ['a leap day in a year divisible by 400', '20000229'],
    ['a leap day in an ordinary leap year', '19960229'],
    ['the earliest accepted birth date', '19000101'],
    ['the last day of a 31-day month', '19851231'],
    ['the last day of a 30-day month', '19850430'],
    ['a birth date far in the future when no reference date is given', '20990101'],
  ])('accepts %s', (_label, birth) => {
    expect(checkResidentId(residentId('320402', birth), path)).toBeUndefined();
  });

  it('accepts every check value, including X, over many sequence numbers', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 200; n++) {
      const id = residentId('320402', '19870615', String(n).padStart(3, '0'));
      seen.add(id.charAt(17));
      expect(checkResidentId(id, path)).toBeUndefined();
    }
    expect(seen.size).toBe(11);
  });

  it('rejects a wrong length, naming the length found', () => {
    expect(checkResidentId('11010519491231002', path)).toEqual({ path, rule: 'must be 18 characters (got 17)' });
    expect(checkResidentId('110105194912310021X', path)).toEqual({ path, rule: 'must be 18 characters (got 19)' });
  });

  it('rejects a non-digit among the first 17 characters, naming it and its position', () => {
    expect(checkResidentId('1101051949123100XX', path)).toEqual({
      path,
      rule: "character 'X' at position 17 must be a digit",
    });
  });

  it('rejects a lowercase x check character and says it must be uppercase', () => {
    expect(checkResidentId('11010519491231002x', path)).toEqual({
      path,
      rule: "check character must be uppercase 'X' (got lowercase 'x')",
    });
  });

  it('rejects a last character that is neither a digit nor X', () => {
    expect(checkResidentId('11010519491231002Y', path)).toEqual({
      path,
      rule: "check character must be a digit or 'X' (got 'Y')",
    });
  });

  it('rejects a valid number whose check character alone is changed', () => {
    expect(checkResidentId('110105194912310020', path)).toEqual({
      path,
      rule: "check character must be 'X' (got '0')",
    });
    const [bad, right] = withWrongLast(residentId('320402', '19870615', '014'), '0123456789X');
    expect(checkResidentId(bad, path)).toEqual({ path, rule: `check character must be '${right}' (got '0')` });
  });

  it('rejects an area code starting with 0 even with a right check character', () => {
    expect(checkResidentId(residentId('010105', '19900101'), path)).toEqual({
      path,
      rule: "area code '010105' (positions 1-6) must not start with 0",
    });
  });

  it.each([
    ['February 30', '19900230', '1990-02-30'],
    ['February 29 in a year not divisible by 4', '20230229', '2023-02-29'],
    ['February 29 in a century year not divisible by 400', '19000229', '1900-02-29'],
    ['April 31', '19900431', '1990-04-31'],
    ['month 13', '19901301', '1990-13-01'],
    ['month 00', '19900010', '1990-00-10'],
    ['day 00', '19900100', '1990-01-00'],
    ['day 32', '19900132', '1990-01-32'],
  ])('rejects a birth date on %s even with a right check character', (_label, birth, shown) => {
    expect(checkResidentId(residentId('320402', birth), path)).toEqual({
      path,
      rule: `birth date ${shown} is not a real date`,
    });
  });

  it('rejects a birth date before 1900-01-01', () => {
    expect(checkResidentId(residentId('320402', '18991231'), path)).toEqual({
      path,
      rule: 'birth date 1899-12-31 is before 1900-01-01',
    });
  });
});

describe('makeResidentIdCheck', () => {
  const path = 'handler.idNumber';
  const check = makeResidentIdCheck('2026-05-01');

  it('accepts a birth date on the reference date itself', () => {
    expect(check(residentId('320402', '20260501'), path)).toBeUndefined();
  });

  it('rejects a birth date the day after the reference date', () => {
    expect(check(residentId('320402', '20260502'), path)).toEqual({
      path,
      rule: 'birth date 2026-05-02 is after the reference date 2026-05-01',
    });
  });

  it('rejects a future birth date that checkResidentId alone accepts', () => {
    const id = residentId('320402', '20310101');
    expect(checkResidentId(id, path)).toBeUndefined();
    expect(check(id, path)?.rule).toBe('birth date 2031-01-01 is after the reference date 2026-05-01');
  });

  it('still applies every other rule', () => {
    expect(check('11010519491231002x', path)?.rule).toBe("check character must be uppercase 'X' (got lowercase 'x')");
    expect(check(residentId('320402', '19000229'), path)?.rule).toBe('birth date 1900-02-29 is not a real date');
  });

  it.each(['2026-02-30', '2026-5-1', '20260501', 'today'])('refuses to build with reference date %s', (asOf) => {
    expect(() => makeResidentIdCheck(asOf)).toThrow(RangeError);
    expect(() => makeResidentIdCheck(asOf)).toThrow(`got '${asOf}'`);
  });
});

// ---------------------------------------------------------------------------------------------
// checkMobile
// ---------------------------------------------------------------------------------------------

describe('checkMobile', () => {
  const path = 'contact.mobile';

  it.each(['13812345678', '15000000000', '19912345678', '+8613812345678'])('accepts %s', (mobile) => {
    expect(checkMobile(mobile, path)).toBeUndefined();
  });

  it.each([
    ['12812345678', '2'],
    ['11812345678', '1'],
    ['10812345678', '0'],
    ['+8612812345678', '2'],
  ])('rejects %s, whose second digit is %s', (mobile, second) => {
    expect(checkMobile(mobile, path)).toEqual({
      path,
      rule: `second digit of a mobile number must be 3-9 (got '${second}')`,
    });
  });

  it('rejects 11 digits not starting with 1', () => {
    expect(checkMobile('23812345678', path)).toEqual({ path, rule: "a mobile number must start with 1 (got '2')" });
  });

  it.each([
    ['1381234567', 10],
    ['138123456789', 12],
    ['+86138123456789', 12],
    ['', 0],
  ])('rejects %s as the wrong number of digits', (mobile, n) => {
    expect(checkMobile(mobile, path)).toEqual({ path, rule: `must be 11 digits after any +86 prefix (got ${n})` });
  });

  it('rejects the 86 prefix written without +', () => {
    expect(checkMobile('8613812345678', path)).toEqual({
      path,
      rule: "the country prefix must be written '+86' (got '86' without '+')",
    });
  });

  it('rejects a country prefix other than +86', () => {
    expect(checkMobile('+85261234567', path)).toEqual({
      path,
      rule: "the only country prefix accepted is +86 (got '+852')",
    });
  });

  it.each(['138 1234 5678', '138-1234-5678', '+86 13812345678'])('rejects %s for its separators', (mobile) => {
    expect(checkMobile(mobile, path)).toEqual({ path, rule: 'must not contain spaces or hyphens' });
  });

  it('rejects a letter, naming it', () => {
    expect(checkMobile('1381234567O', path)).toEqual({ path, rule: "character 'O' is not a digit" });
  });
});

// ---------------------------------------------------------------------------------------------
// checkLandline
// ---------------------------------------------------------------------------------------------

describe('checkLandline', () => {
  const path = 'contact.landline';

  it.each([
    '0519-85681829',
    '010-62345678',
    '021-6234567',
    '0519-8568182',
    '0519-85681829-123',
    '010-62345678-1',
    '010-62345678-123456',
    '(0519)85681812',
    '(010)62345678-8001',
  ])('accepts %s', (landline) => {
    expect(checkLandline(landline, path)).toBeUndefined();
  });

  it.each([
    ['010-12345678', '12345678'],
    ['0519-05681829', '05681829'],
    ['(0519)1568182', '1568182'],
  ])('rejects %s, whose subscriber number starts with 0 or 1', (landline, subscriber) => {
    expect(checkLandline(landline, path)).toEqual({
      path,
      rule: `subscriber number must not start with 0 or 1 (got '${subscriber}')`,
    });
  });

  it.each([
    ['0519-856818', '856818'],
    ['0519-856818290', '856818290'],
    ['(0519)-85681829', ''],
  ])('rejects %s, whose subscriber number is not 7 or 8 digits', (landline, subscriber) => {
    expect(checkLandline(landline, path)).toEqual({
      path,
      rule: `subscriber number must be 7 or 8 digits (got '${subscriber}')`,
    });
  });

  it('rejects a number with no hyphen after the area code and shows both accepted shapes', () => {
    expect(checkLandline('051985681829', path)).toEqual({
      path,
      rule: 'area code and subscriber number must be separated by a hyphen (e.g. 0519-85681829) or the area code put in parentheses (e.g. (0519)85681829)',
    });
  });

  it('rejects spaces as a separator', () => {
    expect(checkLandline('0519 85681829', path)).toEqual({ path, rule: 'must not contain spaces' });
  });

  it.each([
    ['0519-85681829-1234567', '1234567'],
    ['0519-85681829-', ''],
    ['0519-85681829-12a', '12a'],
  ])('rejects %s, whose extension is not 1 to 6 digits', (landline, extension) => {
    expect(checkLandline(landline, path)).toEqual({
      path,
      rule: `extension must be 1 to 6 digits (got '${extension}')`,
    });
  });

  it('rejects a second extension', () => {
    expect(checkLandline('0519-85681829-12-34', path)).toEqual({
      path,
      rule: 'must have at most one extension after the subscriber number',
    });
  });

  it('rejects an area code without its leading 0', () => {
    expect(checkLandline('519-85681829', path)).toEqual({ path, rule: "area code must start with 0 (got '519')" });
  });

  it('rejects an area code of the wrong length', () => {
    expect(checkLandline('05191-85681829', path)).toEqual({
      path,
      rule: 'area code must be 3 or 4 digits including the leading 0 (got 5)',
    });
    expect(checkLandline('05-85681829', path)).toEqual({
      path,
      rule: 'area code must be 3 or 4 digits including the leading 0 (got 2)',
    });
  });

  it.each(['031', '0019', '0100', '0251'])('rejects %s, which is not a mainland area code', (area) => {
    expect(checkLandline(`${area}-85681829`, path)).toEqual({
      path,
      rule: `area code '${area}' is not a mainland area code (010, 02X or 0[3-9]XX)`,
    });
  });

  it('rejects a non-digit area code', () => {
    expect(checkLandline('O519-85681829', path)).toEqual({ path, rule: "area code must be digits (got 'O519')" });
  });

  it('rejects an unclosed parenthesis', () => {
    expect(checkLandline('(051985681829', path)).toEqual({
      path,
      rule: "opening '(' of the area code has no closing ')'",
    });
  });
});

// ---------------------------------------------------------------------------------------------
// checkPhone
// ---------------------------------------------------------------------------------------------

describe('checkPhone', () => {
  const path = 'contact.phone';
  const neither =
    'is neither a mobile number (e.g. 13812345678 or +8613812345678) nor a landline with area code (e.g. 0519-85681829 or (0519)85681829)';

  it.each(['13812345678', '+8613812345678', '0519-85681829', '(0519)85681812', '010-62345678-8001'])(
    'accepts %s',
    (phone) => {
      expect(checkPhone(phone, path)).toBeUndefined();
    },
  );

  it('rejects something that looks like a mobile, saying it is neither and why the mobile shape fails', () => {
    expect(checkPhone('12812345678', path)).toEqual({
      path,
      rule: `${neither}: as a mobile, second digit of a mobile number must be 3-9 (got '2')`,
    });
  });

  it('rejects something that looks like a landline, saying it is neither and why the landline shape fails', () => {
    expect(checkPhone('010-12345678', path)).toEqual({
      path,
      rule: `${neither}: as a landline, subscriber number must not start with 0 or 1 (got '12345678')`,
    });
    expect(checkPhone('(0519)8568', path)?.rule).toBe(
      `${neither}: as a landline, subscriber number must be 7 or 8 digits (got '8568')`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// collectIssues / assertValid
// ---------------------------------------------------------------------------------------------

describe('collectIssues', () => {
  it('keeps the issues in order and drops the passes', () => {
    const a = { path: 'a', rule: 'r1' };
    const b = { path: 'b', rule: 'r2' };
    expect(collectIssues(undefined, a, undefined, b)).toEqual([a, b]);
  });

  it('returns an empty list when every check passes', () => {
    expect(collectIssues(undefined, undefined)).toEqual([]);
    expect(collectIssues()).toEqual([]);
  });
});

describe('assertValid', () => {
  it('returns when every check passes', () => {
    expect(() =>
      assertValid(checkCreditCode('91350100M000100Y43', 'unit.creditCode'), checkMobile('13812345678', 'mobile')),
    ).not.toThrow();
  });

  it('throws a ValidationError carrying every issue with its path', () => {
    let thrown: unknown;
    try {
      assertValid(
        checkCreditCode('91350100M000100Y44', 'unit.creditCode'),
        checkMobile('13812345678', 'contact.mobile'),
        checkResidentId('11010519491231002x', 'handler.idNumber'),
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const error = thrown as ValidationError;
    expect(error.code).toBe('INVALID_FIELD');
    expect(error.issues).toEqual([
      { path: 'unit.creditCode', rule: "check character must be '3' (got '4')" },
      { path: 'handler.idNumber', rule: "check character must be uppercase 'X' (got lowercase 'x')" },
    ]);
    expect(error.message).toContain("unit.creditCode: check character must be '3' (got '4')");
  });
});
