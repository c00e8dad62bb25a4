/** Request headers as Node gives them. */
export type Headers = Record<string, string | string[] | undefined>;

export function firstHeader(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
