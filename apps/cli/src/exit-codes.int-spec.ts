import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';

// The CLI as scripts and auditors run it (`npm run certflow -- …`, a process), against a real,
// migrated PostgreSQL: its exit status says whether it did what was asked. The successes are the
// README's own examples (test/e2e/readme.e2e-spec.ts).
const root = path.resolve(__dirname, '../../..');
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase('cli');
  await migrate(database.url);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'certflow-cli-'));
  const now = new Date().toISOString();
  writeFileSync(path.join(dataDir, 'rehearsal.json'), JSON.stringify({ startOn: now.slice(0, 10), startedAt: now }));
});

afterAll(async () => {
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function certflow(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, 'tools/certflow.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url, CERTFLOW_DATA_DIR: dataDir },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
}

describe('the CLI exit status', () => {
  it.each([
    ['audit history of a stream nobody wrote', ['audit', 'history', 'party-nobody'], 66, 'party-nobody does not exist'],
    ['audit history of a malformed stream id', ['audit', 'history', 'nobody'], 66, "stream id 'nobody'"],
    [
      'audit as-of of a stream nobody wrote',
      ['audit', 'as-of', 'credential-set-nobody', '2026-01-01T00:00:00Z'],
      66,
      'credential-set-nobody does not exist',
    ],
    ['audit as-of with a bad date', ['audit', 'as-of', 'party-nobody', '2026-13-45'], 64, 'instant: an ISO-8601'],
    [
      'audit as-of with a relative instant in weeks (days and hours only)',
      ['audit', 'as-of', 'party-x', 'rehearsal+1w'],
      64,
      'got rehearsal+1w',
    ],
    ['audit export with a bad --from', ['audit', 'export', '--from', 'yesterday'], 64, '--from: an ISO-8601'],
    [
      'audit verify of a stream that does not exist',
      ['audit', 'verify', '--stream', 'party-nobody'],
      66,
      'party-nobody',
    ],
    ['an unknown command', ['audit', 'frobnicate'], 64, 'usage: certflow'],
    ['an unknown option', ['audit', 'verify', '--strem', 'party-x'], 64, "Unknown option '--strem'"],
  ])('is non-zero for %s', async (_case, args, status, message) => {
    const run = await certflow(...args);
    expect(run.status).toBe(status);
    expect(run.stderr).toContain(message);
  });

  it('is 0 for --help and for verifying an empty log', async () => {
    expect((await certflow('--help')).status).toBe(0);
    expect((await certflow('audit', 'verify')).status).toBe(0);
  });
});
