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
