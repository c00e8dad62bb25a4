import type { DataSource } from 'typeorm';

/** A submitted launch list and its items' outcomes (table `launches`, `launch_items`). */
export interface LaunchRecord {
  readonly launchId: string;
  readonly policyId: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly requestedAt: string;
  readonly total: number;
}

export interface StoredLaunchItem<T> {
  readonly seq: number;
  readonly item: T;
}

export type LaunchOutcome =
  | { readonly seq: number; readonly outcome: 'LAUNCHED' }
  | { readonly seq: number; readonly outcome: 'REFUSED'; readonly problem: { rule: string; detail: string } };

export interface LaunchProgress extends LaunchRecord {
  readonly launched: number;
  readonly refused: number;
  readonly pending: number;
}

const ROWS_PER_INSERT = 2_000;

/** Stores a launch and its items in one transaction; false when the launch id exists already. */
export async function saveLaunch<T extends { party: { partyId: string }; setId: string }>(
  db: DataSource,
  launch: LaunchRecord,
  items: readonly T[],
): Promise<boolean> {
  return db.transaction(async (m) => {
    const inserted = await m.query<unknown[]>(
      `INSERT INTO launches (launch_id, policy_id, actor, requested_at, total) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (launch_id) DO NOTHING RETURNING launch_id`,
      [launch.launchId, launch.policyId, JSON.stringify(launch.actor), launch.requestedAt, launch.total],
    );
    if (inserted.length === 0) return false;
    for (let from = 0; from < items.length; from += ROWS_PER_INSERT) {
      const slice = items.slice(from, from + ROWS_PER_INSERT);
      await m.query(
        `INSERT INTO launch_items (launch_id, seq, party_id, set_id, item)
         SELECT $1, seq, party_id, set_id, item FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[])
           AS i(seq, party_id, set_id, item)`,
        [
          launch.launchId,
          slice.map((_, i) => from + i),
          slice.map((it) => it.party.partyId),
          slice.map((it) => it.setId),
          slice.map((it) => JSON.stringify(it)),
        ],
      );
    }
    return true;
  });
}

export async function readLaunchItems<T>(
  db: DataSource,
  launchId: string,
  from: number,
  to: number,
): Promise<StoredLaunchItem<T>[]> {
  return await db.query<StoredLaunchItem<T>[]>(
    `SELECT seq, item FROM launch_items WHERE launch_id = $1 AND seq >= $2 AND seq < $3 ORDER BY seq`,
    [launchId, from, to],
  );
}

export async function recordLaunchOutcomes(
  db: DataSource,
  launchId: string,
  outcomes: readonly LaunchOutcome[],
): Promise<void> {
  if (outcomes.length === 0) return;
  await db.query(
    `UPDATE launch_items l SET outcome = o.outcome, problem = o.problem
       FROM unnest($2::int[], $3::text[], $4::jsonb[]) AS o(seq, outcome, problem)
      WHERE l.launch_id = $1 AND l.seq = o.seq`,
    [
      launchId,
      outcomes.map((o) => o.seq),
      outcomes.map((o) => o.outcome),
      outcomes.map((o) => (o.outcome === 'REFUSED' ? JSON.stringify(o.problem) : null)),
    ],
  );
}

export async function launchProgress(db: DataSource, launchId: string): Promise<LaunchProgress | null> {
  const [row] = await db.query<(Omit<LaunchProgress, 'requestedAt'> & { requestedAt: Date })[]>(
    `SELECT l.launch_id AS "launchId", l.policy_id AS "policyId", l.actor, l.requested_at AS "requestedAt", l.total,
            count(*) FILTER (WHERE i.outcome = 'LAUNCHED')::int AS launched,
            count(*) FILTER (WHERE i.outcome = 'REFUSED')::int AS refused,
            count(*) FILTER (WHERE i.outcome IS NULL)::int AS pending
       FROM launches l LEFT JOIN launch_items i USING (launch_id)
      WHERE l.launch_id = $1 GROUP BY l.launch_id`,
    [launchId],
  );
  return row ? { ...row, requestedAt: row.requestedAt.toISOString() } : null;
}

/** The refused items of a launch, with the rule that refused each. */
export async function refusedLaunchItems(
  db: DataSource,
  launchId: string,
  limit = 1_000,
): Promise<{ seq: number; partyId: string; setId: string; problem: unknown }[]> {
  return await db.query<{ seq: number; partyId: string; setId: string; problem: unknown }[]>(
    `SELECT seq, party_id AS "partyId", set_id AS "setId", problem FROM launch_items
      WHERE launch_id = $1 AND outcome = 'REFUSED' ORDER BY seq LIMIT $2`,
    [launchId, limit],
  );
}

/**
 * Of the launch items' sets, those whose stream already has events of another party (or of none):
 * a set id taken before the launch. A retried chunk's own sets (same party) are not among them.
 */
export async function setsTakenByOthers(
  db: DataSource,
  items: readonly { readonly setId: string; readonly partyId: string }[],
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const rows = await db.query<{ setId: string }[]>(
    `SELECT r.set_id AS "setId"
       FROM unnest($1::text[], $2::text[]) AS r(set_id, party_id)
       JOIN event_streams s ON s.stream_id = 'credential-set-' || r.set_id
      WHERE s.version > 0 AND s.party_id IS DISTINCT FROM r.party_id`,
    [items.map((i) => i.setId), items.map((i) => i.partyId)],
  );
  return new Set(rows.map((r) => r.setId));
}
