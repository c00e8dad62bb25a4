import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';

/** Each backing service: ready, or why not (what `/ready` names in its 503). */
export interface Readiness {
  readonly postgres: boolean;
  readonly temporal: boolean;
  /** The services that are not ready, each with why: `postgres: no answer within 1500 ms`. */
  readonly notReady: readonly string[];
}

/** How long each probe may take; together they stay under the two seconds `/ready` promises. */
export const PROBE_TIMEOUT_MS = 1500;

/**
 * Whether PostgreSQL answers a query and Temporal its system info, both at once and each within
 * its own timeout: a server that hangs (stopped, not refusing) makes its probe fail, never the
 * answer wait. A probe never throws.
 */
export class CheckReadinessUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly client: Client,
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
  ) {}

  async execute(): Promise<Readiness> {
    const deadline = Date.now() + this.timeoutMs;
    const [postgres, temporal] = await Promise.all([
      probe(() => this.db.query('SELECT 1'), this.timeoutMs),
      probe(
        () => this.client.withDeadline(deadline, () => this.client.workflowService.getSystemInfo({})),
        this.timeoutMs,
      ),
    ]);
    return {
      postgres: postgres === null,
      temporal: temporal === null,
      notReady: [
        ...(postgres === null ? [] : [`postgres: ${postgres}`]),
        ...(temporal === null ? [] : [`temporal: ${temporal}`]),
      ],
    };
  }
}

/** null when `work` succeeded within `ms`; otherwise why not. */
async function probe(work: () => Promise<unknown>, ms: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms);
  });
  try {
    return await Promise.race([
      work().then(
        () => null,
        (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed',
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
