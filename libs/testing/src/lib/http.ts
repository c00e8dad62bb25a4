/** A small HTTP client for the API in tests, drills and benchmarks: actor headers, JSON both ways. */
export type ActorHeader = readonly [id: string, role: string];

export interface ApiResponse {
  readonly status: number;
  readonly type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  readonly body: Record<string, any>;
}

export interface ApiClient {
  http(
    method: string,
    path: string,
    body?: unknown,
    actor?: ActorHeader,
    options?: { raw?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  /** The body of a 2xx answer; anything else throws with the problem. */
  ok(
    method: string,
    path: string,
    body?: unknown,
    actor?: ActorHeader,
    options?: { headers?: Record<string, string> },
  ): Promise<ApiResponse['body']>;
}

export function apiClient(base: () => string, defaultActor: ActorHeader): ApiClient {
  const http: ApiClient['http'] = async (method, path, body, actor = defaultActor, options = {}) => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-actor-id': actor[0],
        'x-actor-role': actor[1],
        ...options.headers,
      },
      ...(options.raw !== undefined ? { body: options.raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: text ? (JSON.parse(text) as ApiResponse['body']) : {},
    };
  };
  return {
    http,
    ok: async (method, path, body, actor, options) => {
      const r = await http(method, path, body, actor, options);
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}

/** What a refusal must leave unchanged: the events in the log and the workflows Temporal knows. */
export interface WrittenCounts {
  readonly events: number;
  readonly workflows: number;
}

/** Counts events (over `db`, a TypeORM DataSource or pg client) and workflows (over a Temporal client). */
export async function counts(
  db: { query<T>(sql: string): Promise<T> },
  temporal: { workflow: { list(): AsyncIterable<unknown> } },
): Promise<WrittenCounts> {
  const [row] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM events`);
  let workflows = 0;
  for await (const _ of temporal.workflow.list()) workflows += 1;
  return { events: row?.n ?? 0, workflows };
}
