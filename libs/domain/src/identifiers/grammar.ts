/**
 * The grammars every input is held to before anything is decided or stored: ids (what the event
 * store accepts after `<category>-` in a stream id) and free text (what PostgreSQL text and JSON
 * can hold, without invisible control characters).
 */

/** An id: 1-128 characters of a-z A-Z 0-9 . _ : -, starting with a letter or digit (the stream-id suffix). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export const ID_RULE = '1-128 characters of a-z A-Z 0-9 . _ : -, starting with a letter or digit';

export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

/** The free-text rule, as a refusal names it. */
export const TEXT_RULE =
  'must not contain NUL, an unpaired UTF-16 surrogate or a control character other than \\n, \\r, \\t';

/** Whether a string is free text: no NUL, no unpaired surrogate, no C0/C1 control but \n \r \t. */
export function isText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    } else if (c === 0x7f || (c >= 0x80 && c <= 0x9f)) {
      return false;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i += 1;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** How deep a JSON body may nest (objects and arrays); a launch is 4 deep. */
export const MAX_JSON_DEPTH = 16;

export const DEPTH_RULE = `must not nest deeper than ${MAX_JSON_DEPTH} levels`;

/**
 * Every string of a parsed JSON value that is not free text, by dotted path (`items[3].party.name`),
 * or the first place it nests past `maxDepth`; at most `limit` issues. Keys are checked like values.
 */
export function textIssues(value: unknown, maxDepth = MAX_JSON_DEPTH, limit = 20): { path: string; rule: string }[] {
  const issues: { path: string; rule: string }[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (issues.length >= limit) return;
    if (typeof v === 'string') {
      if (!isText(v)) issues.push({ path: path || '(body)', rule: TEXT_RULE });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= maxDepth) {
      issues.push({ path: path || '(body)', rule: DEPTH_RULE });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      const at = path ? `${path}.${k}` : k;
      if (!isText(k)) issues.push({ path: at, rule: `a key ${TEXT_RULE}` });
      else walk(x, at, depth + 1);
    }
  };
  walk(value, '', 0);
  return issues;
}

/** A refusal of one field, as the domain and the API name it (`items[3].party.name`). */
export interface GrammarIssue {
  readonly path: string;
  readonly rule: string;
}

/**
 * The longest each free-text field may be, in UTF-16 code units, by the field's name (the last part
 * of its path). Data, not code: the DTOs, the domain's decide and the API's docs read the same table.
 */
export const TEXT_LIMITS = {
  /** A party's full registered name (全称); the longest official names are well under 100. */
  name: 200,
  'contact.name': 100,
  /** A mainland mobile or landline with area code and extension. */
  'contact.phone': 32,
  /** A unified social credit code or resident ID number is 18; room for a clear refusal. */
  identifier: 64,
  /** A jurisdiction code of the policy. */
  jurisdiction: 64,
  /** A platform code of the policy (`SUCAIYUN`). */
  platform: 64,
  /** A credential serial (old credentials are free-form; issued ones are 4-64 by the issue rule). */
  serial: 128,
  /** A certificate authority's name (`江苏省电子政务证书认证中心`). */
  issuer: 200,
  /** Why a filing is submitted or rejected. */
  reason: 2000,
  /** A revocation's note. */
  note: 2000,
} as const;

export type TextField = keyof typeof TEXT_LIMITS;

/** The most items each array field may hold, by the field's name. */
export const ARRAY_LIMITS = {
  /** A campaign launch: one request carries a district's whole list. */
  items: 50_000,
  /** The platforms an old credential is bound to (the policy names a handful). */
  boundPlatforms: 32,
} as const;

export type ArrayField = keyof typeof ARRAY_LIMITS;

/** An additional-set filing asks for at most this many sets beyond the first. */
export const MAX_ADDITIONAL_SETS = 100;

export const textLimitRule = (field: TextField): string => `at most ${TEXT_LIMITS[field]} characters`;
export const arrayLimitRule = (field: ArrayField): string => `at most ${ARRAY_LIMITS[field]} items`;

/**
 * The problem with a free-text field, or nothing: a string, free text, within its field's length
 * (`required` also refuses an empty or blank one). `path` defaults to the field's name.
 */
export function textIssue(
  value: unknown,
  field: TextField,
  path: string = field,
  required = true,
): GrammarIssue | undefined {
  if (typeof value !== 'string') return { path, rule: 'a string' };
  if (!isText(value)) return { path, rule: TEXT_RULE };
  if (value.length > TEXT_LIMITS[field]) return { path, rule: textLimitRule(field) };
  if (required && value.trim() === '') return { path, rule: 'must not be empty' };
  return undefined;
}

/** The problem with an id field, or nothing. */
export function idIssue(value: unknown, path: string): GrammarIssue | undefined {
  return isId(value) ? undefined : { path, rule: ID_RULE };
}

/** The problem with an array field's size, or nothing (its items are checked by their own rules). */
export function arrayIssue(value: unknown, field: ArrayField, path: string = field): GrammarIssue | undefined {
  if (!Array.isArray(value)) return { path, rule: 'an array' };
  if (value.length > ARRAY_LIMITS[field]) return { path, rule: arrayLimitRule(field) };
  return undefined;
}

/**
 * Every array of a parsed JSON body longer than its field's limit (by the field's name), by path,
 * found before anything walks its items; an array within its limit is walked for nested ones.
 */
export function arraySizeIssues(value: unknown, path = '', depth = 0): GrammarIssue[] {
  if (value === null || typeof value !== 'object' || depth >= MAX_JSON_DEPTH) return [];
  if (Array.isArray(value)) return value.flatMap((x, i) => arraySizeIssues(x, `${path}[${i}]`, depth + 1));
  return Object.entries(value).flatMap(([k, v]) => {
    const at = path ? `${path}.${k}` : k;
    const limited = Object.hasOwn(ARRAY_LIMITS, k) && Array.isArray(v);
    if (limited && v.length > ARRAY_LIMITS[k as ArrayField])
      return [{ path: at, rule: arrayLimitRule(k as ArrayField) }];
    return arraySizeIssues(v, at, depth + 1);
  });
}

/**
 * The date grammar: an ISO-8601 instant with `Z` or an offset (`2024-03-01T00:00:00+08:00`,
 * seconds and fractions optional) that names a real day, within the years a credential can mean.
 */
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const EARLIEST_INSTANT = '2000-01-01T00:00:00Z';
export const LATEST_INSTANT = '2100-01-01T00:00:00Z';
export const INSTANT_RULE = 'an ISO-8601 instant with offset';
export const INSTANT_RANGE_RULE = `between ${EARLIEST_INSTANT.slice(0, 10)} and ${LATEST_INSTANT.slice(0, 10)}`;

const EARLIEST_MS = Date.parse(EARLIEST_INSTANT);
const LATEST_MS = Date.parse(LATEST_INSTANT);

/** The problem with a date field, or nothing. */
export function instantIssue(value: unknown, path: string): GrammarIssue | undefined {
  if (typeof value !== 'string' || !INSTANT_PATTERN.test(value)) return { path, rule: INSTANT_RULE };
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !realDay(value.slice(0, 10))) return { path, rule: INSTANT_RULE };
  if (ms < EARLIEST_MS || ms >= LATEST_MS) return { path, rule: INSTANT_RANGE_RULE };
  return undefined;
}

function realDay(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utc = new Date(Date.UTC(y, m - 1, d));
  return utc.getUTCFullYear() === y && utc.getUTCMonth() === m - 1 && utc.getUTCDate() === d;
}

/** Only the issues found, in order. */
export const issuesOf = (...found: (GrammarIssue | undefined)[]): GrammarIssue[] =>
  found.filter((i): i is GrammarIssue => i !== undefined);

/**
 * Whether PostgreSQL can hold a string in `text` and `jsonb`: no NUL and no unpaired surrogate
 * (the store's own check; control characters are stored faithfully, the edge refuses them).
 */
export function isStorable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i += 1;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** The first place in a JSON value (keys too) holding a string PostgreSQL cannot store, or null. */
export function unstorablePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorable(value) ? null : path || '(value)';
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (!isStorable(k)) return at;
    const found = unstorablePath(v, at);
    if (found !== null) return found;
  }
  return null;
}

/** An own entry of a record keyed by input, never one of `Object.prototype`'s (`constructor`, `__proto__`). */
export function ownEntry<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
