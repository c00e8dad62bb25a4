import { existsSync } from 'node:fs';
import path from 'node:path';

/** The checkout's root: the folder holding tsconfig.base.json above this file. */
export function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'tsconfig.base.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no tsconfig.base.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}
