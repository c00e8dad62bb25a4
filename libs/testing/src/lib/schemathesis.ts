import { existsSync } from 'node:fs';
import path from 'node:path';
import { pipInstall, workspaceRoot } from '@certflow/temporal-runtime';

export const SCHEMATHESIS_VERSION = '4.32.5';

/** schemathesis from PyPI, kept in tools/.bin/schemathesis: the command and the env to run it with. */
export function schemathesis(): { command: string; env: NodeJS.ProcessEnv } {
  const dir = path.join(workspaceRoot(), 'tools/.bin/schemathesis');
  const command = path.join(dir, 'bin/st');
  if (!existsSync(command)) pipInstall(dir, [`schemathesis==${SCHEMATHESIS_VERSION}`]);
  return { command, env: { ...process.env, PYTHONPATH: dir } };
}
