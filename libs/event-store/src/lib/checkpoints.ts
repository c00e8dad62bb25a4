import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { canonicalJson, sha256 } from './canonical';

/**
 * Signed checkpoints over every stream head. The per-stream chains show an event was changed or
 * removed; a checkpoint signed with a key the database never sees shows that a whole stream, or a
 * stream's newest events, existed at that moment — what a database superuser could otherwise erase
 * without trace. Auditors verify with the public key alone.
 */
export interface CheckpointSigner {
  readonly keyId: string;
  sign(digest: Buffer): Buffer;
}

export interface CheckpointVerifier {
  verify(keyId: string, digest: Buffer, signature: Buffer): boolean;
}

export function ed25519Signer(privateKeyPem: string, keyId: string): CheckpointSigner & CheckpointVerifier {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  return { keyId, sign: (d) => sign(null, d, privateKey), ...ed25519Verifier({ [keyId]: publicKey }) };
}

export function ed25519Verifier(publicKeys: Readonly<Record<string, KeyObject | string>>): CheckpointVerifier {
  const keys = Object.fromEntries(
    Object.entries(publicKeys).map(([id, k]) => [id, typeof k === 'string' ? createPublicKey(k) : k]),
  );
  return {
    verify: (keyId, digest, signature) => {
      const key = keys[keyId];
      return key !== undefined && verify(null, digest, key, signature);
    },
  };
}

export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface CheckpointHead {
  readonly streamId: string;
  readonly version: number;
  readonly headHash: string;
}

/** The digest a checkpoint signs: heads sorted by stream id, canonical JSON, SHA-256. */
export function headsDigest(heads: readonly CheckpointHead[]): Buffer {
  const sorted = [...heads].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  return sha256(canonicalJson(sorted.map((h) => [h.streamId, h.version, h.headHash])));
}

/** Takes a consistent snapshot of all stream heads and stores it signed. */
export async function createCheckpoint(
  db: DataSource,
  signer: CheckpointSigner,
): Promise<{ id: number; streamCount: number }> {
  const q = db.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction('REPEATABLE READ');
    const rows = (await q.query(
      `SELECT stream_id, version, head_hash FROM event_streams WHERE version > 0 ORDER BY stream_id`,
    )) as { stream_id: string; version: number; head_hash: Buffer }[];
    const heads = rows.map((r) => ({
      streamId: r.stream_id,
      version: r.version,
      headHash: r.head_hash.toString('hex'),
    }));
    const digest = headsDigest(heads);
    const [cp] = (await q.query(
      `INSERT INTO event_checkpoints (stream_count, digest, key_id, signature) VALUES ($1, $2, $3, $4) RETURNING id`,
      [heads.length, digest, signer.keyId, signer.sign(digest)],
    )) as { id: string }[];
    await q.query(
      `INSERT INTO event_checkpoint_heads (checkpoint_id, stream_id, version, head_hash)
       SELECT $1, stream_id, version, head_hash FROM event_streams WHERE version > 0`,
      [cp!.id],
    );
    await q.commitTransaction();
    return { id: Number(cp!.id), streamCount: heads.length };
  } catch (e) {
    if (q.isTransactionActive) await q.rollbackTransaction();
    throw e;
  } finally {
    await q.release();
  }
}
