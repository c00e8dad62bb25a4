/**
 * PostgreSQL text cannot hold NUL: a query or path parameter with one is refused here with the
 * parameter's name (schemathesis found it reaching the database as a 500).
 */
export function refuseNul(
  req: { query: Record<string, unknown>; path: string },
  res: { status(n: number): { type(t: string): { send(b: string): void } } },
  next: () => void,
): void {
  const bad = [
    ...Object.entries(req.query)
      .filter(([, v]) => [v].flat().some((x) => typeof x === 'string' && x.includes('\u0000')))
      .map(([k]) => k),
    ...(decodeURIComponentSafe(req.path).includes('\u0000') ? ['path'] : []),
  ];
  if (bad.length === 0) return next();
  const errors = bad.map((path) => ({ path, rule: 'must not contain NUL (\\u0000)' }));
  res
    .status(400)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'https://certflow.example/problems/invalid-field',
        title: 'INVALID_FIELD',
        status: 400,
        detail: errors.map((e) => `${e.path}: ${e.rule}`).join('; '),
        rule: 'INVALID_FIELD',
        errors,
      }),
    );
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
