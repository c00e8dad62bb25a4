/**
 * Field checks for the identifiers a CA-certificate application carries: the unified social
 * credit code of the unit (GB 32100-2015), the resident identity number of its handler
 * (GB 11643-1999) and contact telephone numbers. Validators only: nothing is normalised, a
 * value either passes as typed or is refused with one rule naming the first problem found.
 */
import { type FieldCheck, type FieldIssue, ValidationError } from '../errors';

// ---------------------------------------------------------------------------------------------
// Unified social credit code — GB 32100-2015
// ---------------------------------------------------------------------------------------------

/** The 31 characters of GB 32100-2015 in value order: digits, then uppercase letters without I, O, S, V, Z. */
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weight of position i (0-based) is 3^i mod 31. */
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Position 1 (registration authority) and the position-2 organisation categories each authority
 * defines, per GB 32100-2015 table 1 as amended: 1 institutional establishment, 2 foreign affairs,
 * 3 justice administration, 4 culture, 5 civil affairs, 6 tourism, 7 religion, 8 trade unions,
 * 9 market regulation (industry and commerce), A military establishment office, N agriculture, Y other.
 */
const CREDIT_CODE_CATEGORIES: Readonly<Record<string, string>> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
};

const listOf = (chars: string): string => [...chars].join(', ');

/** Unified social credit code (统一社会信用代码), GB 32100-2015. */
export const checkCreditCode: FieldCheck = (value, path) => {
  const issue = (rule: string): FieldIssue => ({ path, rule });

  if (value.length !== 18) return issue(`must be 18 characters (got ${value.length})`);

  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (CREDIT_CODE_ALPHABET.includes(ch)) continue;
    if (ch !== ch.toUpperCase() && CREDIT_CODE_ALPHABET.includes(ch.toUpperCase())) {
      return issue(`must be uppercase: character '${ch}' at position ${i + 1} is lowercase`);
    }
    return issue(`character '${ch}' at position ${i + 1} is not in the GB 32100-2015 alphabet`);
  }

  const authority = value.charAt(0);
  const categories = CREDIT_CODE_CATEGORIES[authority];
  if (categories === undefined) {
    return issue(
      `registration authority code '${authority}' (position 1) is not defined by GB 32100-2015 ` +
        `(expected one of ${listOf(Object.keys(CREDIT_CODE_CATEGORIES).join(''))})`,
    );
  }
  const category = value.charAt(1);
  if (!categories.includes(category)) {
    return issue(
      `organisation category '${category}' (position 2) is not defined for registration authority ` +
        `'${authority}' (expected one of ${listOf(categories)})`,
    );
  }

  const division = value.slice(2, 8);
  if (!/^\d{6}$/.test(division)) {
    return issue(`administrative division code (positions 3-8) must be 6 digits (got '${division}')`);
  }

  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += CREDIT_CODE_ALPHABET.indexOf(value.charAt(i)) * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  }
  const expected = CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
  const actual = value.charAt(17);
  if (actual !== expected) return issue(`check character must be '${expected}' (got '${actual}')`);

  return undefined;
};

// ---------------------------------------------------------------------------------------------
// Resident identity number — GB 11643-1999
// ---------------------------------------------------------------------------------------------

/** ISO 7064 MOD 11-2 weights of positions 1-17 (2^(18-n) mod 11). */
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Check character indexed by (weighted sum mod 11). */
const RESIDENT_ID_CHECK = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'] as const;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const daysInMonth = (year: number, month: number): number => {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
};

/** Whether 8 digits `YYYYMMDD` name a day of the proleptic Gregorian calendar. */
const isRealDate = (yyyymmdd: string): boolean => {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
};

const isoDate = (yyyymmdd: string): string => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

/**
 * Resident identity number (居民身份证号码), GB 11643-1999. With `asOfLocalDate` ('YYYY-MM-DD', the
 * caller's business date — the domain reads no clock) a birth date after that day is refused too.
 * Throws a RangeError at construction if `asOfLocalDate` is not a real 'YYYY-MM-DD' date.
 */
export function makeResidentIdCheck(asOfLocalDate?: string): FieldCheck {
  let asOf: string | undefined;
  if (asOfLocalDate !== undefined) {
    const compact = /^\d{4}-\d{2}-\d{2}$/.test(asOfLocalDate) ? asOfLocalDate.replaceAll('-', '') : '';
    if (!isRealDate(compact)) {
      throw new RangeError(`asOfLocalDate must be a real date written YYYY-MM-DD (got '${asOfLocalDate}')`);
    }
    asOf = compact;
  }

  return (value, path) => {
    const issue = (rule: string): FieldIssue => ({ path, rule });

    if (value.length !== 18) return issue(`must be 18 characters (got ${value.length})`);

    for (let i = 0; i < 17; i++) {
      const ch = value.charAt(i);
      if (ch < '0' || ch > '9') return issue(`character '${ch}' at position ${i + 1} must be a digit`);
    }
    const actual = value.charAt(17);
    if (actual === 'x') return issue(`check character must be uppercase 'X' (got lowercase 'x')`);
    if (!/^[0-9X]$/.test(actual)) return issue(`check character must be a digit or 'X' (got '${actual}')`);

    const area = value.slice(0, 6);
    if (area.startsWith('0')) return issue(`area code '${area}' (positions 1-6) must not start with 0`);

    const birth = value.slice(6, 14);
    if (!isRealDate(birth)) return issue(`birth date ${isoDate(birth)} is not a real date`);
    if (birth < '19000101') return issue(`birth date ${isoDate(birth)} is before 1900-01-01`);
    if (asOf !== undefined && birth > asOf) {
      return issue(`birth date ${isoDate(birth)} is after the reference date ${isoDate(asOf)}`);
    }

    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(value.charAt(i)) * (RESIDENT_ID_WEIGHTS[i] ?? 0);
    const expected = RESIDENT_ID_CHECK[sum % 11] ?? '';
    if (actual !== expected) return issue(`check character must be '${expected}' (got '${actual}')`);

    return undefined;
  };
}

/** Resident identity number, GB 11643-1999, without a reference date (future birth dates pass). */
export const checkResidentId: FieldCheck = makeResidentIdCheck();

// ---------------------------------------------------------------------------------------------
// Telephone numbers
// ---------------------------------------------------------------------------------------------

/** Mainland mobile number: 11 digits `1[3-9]XXXXXXXXX`, bare or written `+86` followed by the 11 digits. */
export const checkMobile: FieldCheck = (value, path) => {
  const issue = (rule: string): FieldIssue => ({ path, rule });

  if (/[\s-]/.test(value)) return issue('must not contain spaces or hyphens');

  let digits = value;
  if (value.startsWith('+')) {
    if (!value.startsWith('+86')) {
      return issue(`the only country prefix accepted is +86 (got '${value.slice(0, 4)}')`);
    }
    digits = value.slice(3);
  } else if (value.startsWith('86') && value.length === 13) {
    return issue("the country prefix must be written '+86' (got '86' without '+')");
  }

  for (let i = 0; i < digits.length; i++) {
    const ch = digits.charAt(i);
    if (ch < '0' || ch > '9') return issue(`character '${ch}' is not a digit`);
  }
  if (digits.length !== 11) return issue(`must be 11 digits after any +86 prefix (got ${digits.length})`);
  if (digits.charAt(0) !== '1') return issue(`a mobile number must start with 1 (got '${digits.charAt(0)}')`);
  const second = digits.charAt(1);
  if (second < '3') return issue(`second digit of a mobile number must be 3-9 (got '${second}')`);

  return undefined;
};

/**
 * Landline with area code: `0519-85681829`, `010-62345678-123` or `(0519)85681829[-123]`.
 * The area code is 010 or 02X (3 digits) or 0[3-9]XX (4 digits); the subscriber number has 7 or 8
 * digits and does not start with 0 or 1; an extension has 1 to 6 digits.
 */
export const checkLandline: FieldCheck = (value, path) => {
  const issue = (rule: string): FieldIssue => ({ path, rule });

  if (/\s/.test(value)) return issue('must not contain spaces');

  let area: string;
  let rest: string;
  if (value.startsWith('(')) {
    const close = value.indexOf(')');
    if (close < 0) return issue("opening '(' of the area code has no closing ')'");
    area = value.slice(1, close);
    rest = value.slice(close + 1);
  } else {
    const hyphen = value.indexOf('-');
    if (hyphen < 0) {
      return issue(
        'area code and subscriber number must be separated by a hyphen (e.g. 0519-85681829) ' +
          'or the area code put in parentheses (e.g. (0519)85681829)',
      );
    }
    area = value.slice(0, hyphen);
    rest = value.slice(hyphen + 1);
  }

  const [subscriber = '', extension, ...extra] = rest.split('-');
  if (extra.length > 0) return issue('must have at most one extension after the subscriber number');

  if (!/^\d+$/.test(area)) return issue(`area code must be digits (got '${area}')`);
  if (!area.startsWith('0')) return issue(`area code must start with 0 (got '${area}')`);
  if (area.length !== 3 && area.length !== 4) {
    return issue(`area code must be 3 or 4 digits including the leading 0 (got ${area.length})`);
  }
  if (!/^0(?:10|2\d|[3-9]\d\d)$/.test(area)) {
    return issue(`area code '${area}' is not a mainland area code (010, 02X or 0[3-9]XX)`);
  }

  if (!/^\d{7,8}$/.test(subscriber)) return issue(`subscriber number must be 7 or 8 digits (got '${subscriber}')`);
  if (subscriber.startsWith('0') || subscriber.startsWith('1')) {
    return issue(`subscriber number must not start with 0 or 1 (got '${subscriber}')`);
  }

  if (extension !== undefined && !/^\d{1,6}$/.test(extension)) {
    return issue(`extension must be 1 to 6 digits (got '${extension}')`);
  }

  return undefined;
};

/** A mobile number or a landline with area code; when neither, says so and why the nearer shape fails. */
export const checkPhone: FieldCheck = (value, path) => {
  const mobile = checkMobile(value, path);
  if (mobile === undefined) return undefined;
  const landline = checkLandline(value, path);
  if (landline === undefined) return undefined;
  const nearer =
    value.startsWith('0') || value.startsWith('(') ? `as a landline, ${landline.rule}` : `as a mobile, ${mobile.rule}`;
  return {
    path,
    rule:
      'is neither a mobile number (e.g. 13812345678 or +8613812345678) nor a landline with area code ' +
      `(e.g. 0519-85681829 or (0519)85681829): ${nearer}`,
  };
};

// ---------------------------------------------------------------------------------------------
// Collecting results
// ---------------------------------------------------------------------------------------------

/** The issues among check results, in the order given. */
export function collectIssues(...results: (FieldIssue | undefined)[]): FieldIssue[] {
  return results.filter((r): r is FieldIssue => r !== undefined);
}

/** Throws a ValidationError carrying every issue among the check results; returns when there is none. */
export function assertValid(...results: (FieldIssue | undefined)[]): void {
  const issues = collectIssues(...results);
  if (issues.length > 0) throw new ValidationError(issues);
}
