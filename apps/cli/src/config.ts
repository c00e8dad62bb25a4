import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ed25519Signer, generateSigningKey } from '@certflow/event-store';
import { CliError, EXIT } from './exit';

/** Where things live by default: everything under the checkout's data/ folder, overridable by env. */
export const root = path.resolve(__dirname, '../../..');
export const dataDir = process.env['CERTFLOW_DATA_DIR'] ?? path.join(root, 'data');
export const embeddedPort = Number(process.env['CERTFLOW_PG_PORT'] ?? 5433);
export const embeddedUrl = `postgres://postgres:postgres@localhost:${embeddedPort}/certflow`;

/**
 * An instant on the command line: ISO 8601, or relative to the rehearsal `npm start` runs
 * (`rehearsal`, `rehearsal+1d`, `rehearsal-2h`): from its first start (`startedAt` in
 * data/rehearsal.json; 00:00 UTC of `startOn` for a data folder from before it was kept).
 */
export function resolveInstant(text: string): string {
  const m = /^rehearsal(?:([+-])(\d+)([dh]))?$/.exec(text);
  if (!m) return text;
  const file = path.join(dataDir, 'rehearsal.json');
  if (!existsSync(file)) throw new CliError(EXIT.USAGE, `${text}: no rehearsal in ${dataDir} (npm start begins one)`);
  const { startOn, startedAt } = JSON.parse(readFileSync(file, 'utf8')) as { startOn: string; startedAt?: string };
  const base = Date.parse(startedAt ?? `${startOn}T00:00:00Z`);
  const offset = m[1] ? Number(`${m[1]}${m[2]}`) * (m[3] === 'd' ? 86_400_000 : 3_600_000) : 0;
  return new Date(base + offset).toISOString();
}

/** An instant argument, resolved and checked: a malformed one is a usage error naming the argument. */
export function instantArg(name: string, text: string): string {
  const instant = resolveInstant(text);
  if (Number.isNaN(Date.parse(instant)) || !/(Z|[+-]\d{2}:\d{2})$/.test(instant)) {
    throw new CliError(EXIT.USAGE, `${name}: an ISO-8601 instant with offset, or rehearsal[+Nd|-Nh], got ${text}`);
  }
  return instant;
}

/** A connection URL fit to print: its password masked. */
export function withoutPassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '****';
  return u.toString();
}

/** DATABASE_URL points everything at any PostgreSQL 15+ server; otherwise the embedded one. */
export function databaseUrl(): string {
  return process.env['DATABASE_URL'] ?? embeddedUrl;
}

/**
 * The checkpoint signing key (Ed25519): generated on first use, kept outside the database. Its
 * public half (`.pub.pem`) is what auditors verify with.
 */
export function checkpointSigner() {
  const file = process.env['CERTFLOW_CHECKPOINT_KEY_FILE'] ?? path.join(dataDir, 'keys', 'checkpoint-ed25519.pem');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKeyPem, publicKeyPem } = generateSigningKey();
    writeFileSync(file, privateKeyPem, { mode: 0o600 });
    writeFileSync(file.replace(/\.pem$/, '.pub.pem'), publicKeyPem);
  }
  return ed25519Signer(readFileSync(file, 'utf8'), path.basename(file, '.pem'));
}
