import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import { rehearsalPolicy, startSystem, type System } from '@certflow/testing';

// The README's CLI examples, run as a newcomer would after `npm start`: the running system with the
// demo data loaded by tools/demo-seed.mjs, and a data folder holding the rehearsal (data/rehearsal.json)
// and the checkpoint key. Each `npm run certflow -- …` line of a README code block must exit 0, so an
// example cannot rot.
const root = path.resolve(__dirname, '../..');
let database: TestDatabase;
let system: System;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase('readme');
  await migrate(database.url);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'certflow-readme-'));
  const now = new Date();
  writeFileSync(
    path.join(dataDir, 'rehearsal.json'),
    JSON.stringify({ startOn: now.toISOString().slice(0, 10), startedAt: now.toISOString() }),
  );
  system = await startSystem({ databaseUrl: database.url, policy: rehearsalPolicy(14) });
  const seeded = spawnSync(process.execPath, [path.join(root, 'tools/demo-seed.mjs'), system.api], {
    encoding: 'utf8',
  });
  expect({ status: seeded.status, output: seeded.stdout + seeded.stderr }).toMatchObject({ status: 0 });
  // Steps the calendar does not allow yet are explained as expected; nothing else is refused.
  expect(seeded.stdout).not.toContain(' refused: ');
});

afterAll(async () => {
  await system?.stop();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** `npm run certflow -- <args>` lines of the README's code blocks, without their comments. */
function readmeExamples(): string[][] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => /^npm run certflow -- (.*?)\s*(?:#.*)?$/.exec(line.trim())?.[1])
    .filter((args): args is string => args !== undefined)
    .map((args) => args.split(/\s+/));
}

function certflow(args: readonly string[]) {
  const run = spawnSync(process.execPath, [path.join(root, 'tools/certflow.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: database.url, CERTFLOW_DATA_DIR: dataDir },
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.slice(-2000) };
}

describe('the README’s examples', () => {
  const examples = readmeExamples();

  it('are found: audit history, as-of, export, checkpoint, verify, projections rebuild', () => {
    const commands = examples.map((args) => args.slice(0, 2).join(' '));
    expect(commands).toEqual(
      expect.arrayContaining([
        'audit history',
        'audit as-of',
        'audit export',
        'audit checkpoint',
        'audit verify',
        'projections rebuild',
      ]),
    );
  });

  it('name instants relative to the rehearsal: before its start nothing, a day after it the demo', () => {
    const asOf = (instant: string) =>
      certflow(['audit', 'as-of', 'credential-set-wujin-edu-1', instant, '--basis', 'business']);
    const before = asOf('rehearsal-1h');
    const after = asOf('rehearsal+1d');
    expect([before.status, after.status]).toEqual([0, 0]);
    expect((JSON.parse(before.stdout) as { eventCount: number }).eventCount).toBe(0);
    expect((JSON.parse(after.stdout) as { eventCount: number }).eventCount).toBeGreaterThan(0);
  });

  it.each(examples.map((args) => [args.join(' '), args] as const))('npm run certflow -- %s exits 0', (_line, args) => {
    const run = certflow(args);
    expect(run).toMatchObject({ status: 0 });
    if (args[0] === 'audit' && args[1] === 'as-of') {
      // The as-of example answers the demo's state, not the empty state before anything happened.
      expect((JSON.parse(run.stdout) as { eventCount: number }).eventCount).toBeGreaterThan(0);
    }
    if (args[0] === 'audit' && (args[1] === 'history' || args[1] === 'export')) {
      expect(run.stdout.trim()).not.toBe('');
    }
  });
});
