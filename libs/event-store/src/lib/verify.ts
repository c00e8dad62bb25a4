import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson, eventHash, genesisHash } from './canonical';
import type { CheckpointVerifier } from './checkpoints';
import { EVENT_COLUMNS, hashedFieldsOf, toStoredEvent, type StoredEvent } from './event-store';

/** What a verification found, located as exactly as the evidence allows. */
export type TamperKind =
  | 'EVENT_ALTERED'
  | 'EVENTS_SWAPPED'
  | 'EVENT_DELETED'
  | 'EVENT_INSERTED'
  | 'CHAIN_BROKEN'
  | 'HEAD_MISMATCH'
  | 'STREAM_DELETED'
  | 'CHECKPOINT_INVALID'
  | 'CHECKPOINT_MISMATCH';

export interface TamperFinding {
  readonly kind: TamperKind;
  readonly streamId: string | null;
  /** Global positions of the events concerned (where the events still exist). */
  readonly positions: readonly number[];
  /** Stream versions concerned (for deletions: the missing versions). */
  readonly versions: readonly number[];
  readonly detail: string;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  readonly checkpointId: number | null;
  readonly findings: readonly TamperFinding[];
}

interface Head {
  readonly version: number;
  readonly headHash: string;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Checks one stream incrementally: events arrive in version order. */
class StreamCheck {
  private prev: string;
  private expected = 1;
  private last: StoredEvent | null = null;
  private readonly altered: StoredEvent[] = [];
  readonly findings: TamperFinding[] = [];
  count = 0;

  constructor(readonly streamId: string) {
    this.prev = genesisHash(streamId).toString('hex');
  }

  push(e: StoredEvent): void {
    this.count += 1;
    let gap = false;
    if (e.streamVersion > this.expected) {
      gap = true;
      this.findings.push({
        kind: 'EVENT_DELETED',
        streamId: this.streamId,
        positions: [e.position],
        versions: range(this.expected, e.streamVersion - 1),
        detail: `versions ${this.expected}..${e.streamVersion - 1} are missing before position ${e.position}`,
      });
    }
    const recomputed = eventHash(hashedFieldsOf(e), Buffer.from(e.prevHash, 'hex')).toString('hex');
    const predecessorAltered = this.altered.at(-1) === this.last && this.last !== null;
    if (recomputed !== e.hash) this.altered.push(e);
    else if (e.prevHash !== this.prev && !gap && !predecessorAltered) {
      // (After an altered event the link is broken by that event, already reported.)
      this.findings.push({
        kind: 'CHAIN_BROKEN',
        streamId: this.streamId,
        positions: [e.position],
        versions: [e.streamVersion],
        detail: `event at position ${e.position} does not follow its predecessor (an event inserted before it, or reordered)`,
      });
    }
    this.prev = e.hash;
    this.expected = e.streamVersion + 1;
    this.last = e;
  }

  finish(head: Head | null, checkpoint: Head | null, hashAt: (version: number) => string | undefined): TamperFinding[] {
    this.classifyAltered();
    const id = this.streamId;
    const lastVersion = this.last?.streamVersion ?? 0;
    if (this.count === 0) {
      const known = head?.version ?? checkpoint?.version ?? 0;
      if (known > 0) {
        this.findings.push({
          kind: 'STREAM_DELETED',
          streamId: id,
          positions: [],
          versions: range(1, known),
          detail: `all ${known} events of ${id} are gone`,
        });
      }
      return this.findings;
    }
    if (!head) {
      this.findings.push({
        kind: 'HEAD_MISMATCH',
        streamId: id,
        positions: [],
        versions: [],
        detail: `${id} has events but no stream head`,
      });
    } else if (head.version > lastVersion) {
      this.findings.push({
        kind: 'EVENT_DELETED',
        streamId: id,
        positions: [],
        versions: range(lastVersion + 1, head.version),
        detail: `the newest versions ${lastVersion + 1}..${head.version} are missing`,
      });
    } else if (head.version < lastVersion) {
      this.findings.push({
        kind: 'EVENT_INSERTED',
        streamId: id,
        positions: [this.last!.position],
        versions: range(head.version + 1, lastVersion),
        detail: `versions ${head.version + 1}..${lastVersion} were never appended through the store (head is ${head.version})`,
      });
    } else if (head.headHash !== this.last!.hash) {
      this.findings.push({
        kind: 'HEAD_MISMATCH',
        streamId: id,
        positions: [this.last!.position],
        versions: [lastVersion],
        detail: 'stream head hash differs from the newest event',
      });
    }
    if (checkpoint) {
      const at = hashAt(checkpoint.version);
      if (checkpoint.version > lastVersion) {
        if (!this.findings.some((f) => f.kind === 'EVENT_DELETED')) {
          this.findings.push({
            kind: 'EVENT_DELETED',
            streamId: id,
            positions: [],
            versions: range(lastVersion + 1, checkpoint.version),
            detail: `the signed checkpoint saw version ${checkpoint.version}; the stream ends at ${lastVersion}`,
          });
        }
      } else if (at !== undefined && at !== checkpoint.headHash) {
        this.findings.push({
          kind: 'CHECKPOINT_MISMATCH',
          streamId: id,
          positions: [],
          versions: [checkpoint.version],
          detail: `history up to version ${checkpoint.version} differs from the signed checkpoint: it was rewritten`,
        });
      }
    }
    return this.findings;
  }

  /** Two altered events that verify with their versions exchanged were swapped. */
  private classifyAltered(): void {
    const left = [...this.altered];
    const verifiesAs = (e: StoredEvent, version: number) =>
      eventHash({ ...hashedFieldsOf(e), streamVersion: version }, Buffer.from(e.prevHash, 'hex')).toString('hex') ===
      e.hash;
    while (left.length > 0) {
      const a = left.shift()!;
      const i = left.findIndex((b) => verifiesAs(a, b.streamVersion) && verifiesAs(b, a.streamVersion));
      if (i >= 0) {
        const pair = [a, left.splice(i, 1)[0]!].sort((x, y) => x.position - y.position);
        const [x, y] = pair as [StoredEvent, StoredEvent];
        this.findings.push({
          kind: 'EVENTS_SWAPPED',
          streamId: this.streamId,
          positions: [x.position, y.position],
          versions: [x.streamVersion, y.streamVersion],
          detail: `events at positions ${x.position} and ${y.position} exchanged versions ${y.streamVersion} and ${x.streamVersion}`,
        });
      } else {
        this.findings.push({
          kind: 'EVENT_ALTERED',
          streamId: this.streamId,
          positions: [a.position],
          versions: [a.streamVersion],
          detail: `event at position ${a.position} no longer matches its hash (payload, actor, times or lineage changed)`,
        });
      }
    }
  }
}

export interface VerifyOptions {
  readonly streamId?: string;
  readonly pageSize?: number;
}

/**
 * Verifies the whole log (or one stream): every chain, every stream head, and the newest signed
 * checkpoint. Reads in pages ordered by stream, so memory stays bounded by the page size.
 *
 * Every statement reads one snapshot (a REPEATABLE READ, READ ONLY transaction on one connection):
 * otherwise a stream's head, read after its events, could include an append that committed in
 * between, and the log would look as if its newest events had been deleted. Being read-only, it takes
 * no transaction id, so readers catching up (which wait for the oldest open writer) never wait for it.
 */
export async function verifyLog(
  db: DataSource,
  verifier: CheckpointVerifier | null,
  options: VerifyOptions = {},
): Promise<VerificationReport> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await verifyInSnapshot(runner.manager, verifier, options);
    } finally {
      await runner.query('ROLLBACK');
    }
  } finally {
    await runner.release();
  }
}

async function verifyInSnapshot(
  db: EntityManager,
  verifier: CheckpointVerifier | null,
  options: VerifyOptions,
): Promise<VerificationReport> {
  const pageSize = options.pageSize ?? 2000;
  const findings: TamperFinding[] = [];
  const checkpoint = await loadCheckpoint(db, verifier, findings, options.streamId);
  let streams = 0;
  let events = 0;
  const seen = new Set<string>();

  const state: { current: StreamCheck | null } = { current: null };
  const hashes = new Map<number, string>();
  const finish = async () => {
    const check = state.current;
    if (!check) return;
    const head = await loadHead(db, check.streamId);
    findings.push(...check.finish(head, checkpoint.heads.get(check.streamId) ?? null, (v) => hashes.get(v)));
    seen.add(check.streamId);
    streams += 1;
    state.current = null;
    hashes.clear();
  };

  let after: [string, number] = [options.streamId ?? '', 0];
  for (;;) {
    const rows = await db.query<Parameters<typeof toStoredEvent>[0][]>(
      `SELECT ${EVENT_COLUMNS}
         FROM events
        WHERE (stream_id, stream_version) > ($1, $2) ${options.streamId !== undefined ? 'AND stream_id = $1' : ''}
        ORDER BY stream_id, stream_version LIMIT $3`,
      [after[0], after[1], pageSize],
    );
    for (const row of rows) {
      const e = toStoredEvent(row);
      if (state.current?.streamId !== e.streamId) {
        await finish();
        state.current = new StreamCheck(e.streamId);
      }
      state.current.push(e);
      // Only the hash at the checkpoint's version is needed later.
      if (checkpoint.heads.get(e.streamId)?.version === e.streamVersion) hashes.set(e.streamVersion, e.hash);
      events += 1;
      after = [e.streamId, e.streamVersion];
    }
    if (rows.length < pageSize) break;
  }
  await finish();

  // Streams that have a head or a checkpoint entry but no events left at all.
  const orphans = await db.query<{ stream_id: string }[]>(
    `SELECT stream_id FROM (
        SELECT stream_id FROM event_streams WHERE version > 0
        UNION SELECT stream_id FROM event_checkpoint_heads WHERE checkpoint_id = $1
     ) s
     WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id) ${options.streamId !== undefined ? 'AND stream_id = $2' : ''}`,
    options.streamId !== undefined ? [checkpoint.id ?? 0, options.streamId] : [checkpoint.id ?? 0],
  );
  for (const { stream_id } of orphans) {
    if (seen.has(stream_id)) continue;
    const check = new StreamCheck(stream_id);
    findings.push(
      ...check.finish(await loadHead(db, stream_id), checkpoint.heads.get(stream_id) ?? null, () => undefined),
    );
    streams += 1;
  }
  return {
    ok: findings.length === 0,
    streamsChecked: streams,
    eventsChecked: events,
    checkpointId: checkpoint.id,
    findings,
  };
}

async function loadHead(db: EntityManager, streamId: string): Promise<Head | null> {
  const rows = await db.query<{ version: number; head_hash: Buffer }[]>(
    `SELECT version, head_hash FROM event_streams WHERE stream_id = $1`,
    [streamId],
  );
  const r = rows[0];
  return r ? { version: r.version, headHash: r.head_hash.toString('hex') } : null;
}

async function loadCheckpoint(
  db: EntityManager,
  verifier: CheckpointVerifier | null,
  findings: TamperFinding[],
  onlyStream: string | undefined,
): Promise<{ id: number | null; heads: Map<string, Head> }> {
  const heads = new Map<string, Head>();
  if (!verifier) return { id: null, heads };
  const [cp] = await db.query<
    { id: string; stream_count: number; digest: Buffer; key_id: string; signature: Buffer }[]
  >(`SELECT id, stream_count, digest, key_id, signature FROM event_checkpoints ORDER BY id DESC LIMIT 1`);
  if (!cp) return { id: null, heads };
  // Recompute the signed digest from the stored heads, streaming, exactly as headsDigest encodes it.
  const digest = createHash('sha256');
  digest.update('[');
  let n = 0;
  let after = '';
  for (;;) {
    const rows = await db.query<{ stream_id: string; version: number; head_hash: Buffer }[]>(
      `SELECT stream_id, version, head_hash FROM event_checkpoint_heads WHERE checkpoint_id = $1 AND stream_id > $2
        ORDER BY stream_id LIMIT 5000`,
      [cp.id, after],
    );
    for (const r of rows) {
      const headHash = r.head_hash.toString('hex');
      digest.update(`${n > 0 ? ',' : ''}${canonicalJson([r.stream_id, r.version, headHash])}`);
      n += 1;
      if (onlyStream === undefined || onlyStream === r.stream_id)
        heads.set(r.stream_id, { version: r.version, headHash });
      after = r.stream_id;
    }
    if (rows.length < 5000) break;
  }
  digest.update(']');
  const recomputed = digest.digest();
  if (n !== cp.stream_count || !recomputed.equals(cp.digest) || !verifier.verify(cp.key_id, cp.digest, cp.signature)) {
    findings.push({
      kind: 'CHECKPOINT_INVALID',
      streamId: null,
      positions: [],
      versions: [],
      detail: `checkpoint ${cp.id} does not match its signature: its stream heads were altered`,
    });
    return { id: Number(cp.id), heads: new Map() };
  }
  return { id: Number(cp.id), heads };
}
