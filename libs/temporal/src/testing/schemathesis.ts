import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from '../lib/paths';

export const SCHEMATHESIS_VERSION = '4.32.5';

/** schemathesis from PyPI, kept in tools/.bin/schemathesis: the command and the env to run it with. */
export function schemathesis(): { command: string; env: NodeJS.ProcessEnv } {
  const dir = path.join(workspaceRoot(), 'tools/.bin/schemathesis');
  const command = path.join(dir, 'bin/st');
  if (!existsSync(command)) {
    execFileSync(
      'python3',
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--target',
        dir,
        `schemathesis==${SCHEMATHESIS_VERSION}`,
      ],
      { stdio: 'inherit' },
    );
  }
  return { command, env: { ...process.env, PYTHONPATH: dir } };
}
