import { existsSync, writeFileSync } from 'node:fs';
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

/** Ids that exist in the running system (the demo data), by the parameter names they fill. */
export interface RealIds {
  readonly partyIds: readonly string[];
  readonly setIds: readonly string[];
  readonly filingIds: readonly string[];
  readonly launchIds: readonly string[];
  readonly platforms: readonly string[];
  readonly jurisdictions: readonly string[];
}

const toml = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

/**
 * A schemathesis.toml that fills id parameters with real ids most of the time (`probability`), so
 * generated requests get past 404 into the step bodies, and otherwise lets schemathesis invent them.
 * Path, query and body fields of the same name share a dictionary. The stateful phase follows the
 * links schemathesis can infer (Location headers, request and response schemas).
 */
export function schemathesisConfig(ids: RealIds, probability = 0.85): string {
  const dictionaries: [name: string, values: readonly string[], bindings: readonly string[]][] = [
    ['parties', ids.partyIds, ['path.partyId', 'query.partyId', 'body.partyId']],
    ['sets', ids.setIds, ['path.setId']],
    ['filings', ids.filingIds, ['path.filingId']],
    ['launches', ids.launchIds, ['path.launchId']],
    ['platforms', ids.platforms, ['body.platform']],
    ['jurisdictions', ids.jurisdictions, ['query.jurisdiction', 'body.jurisdiction']],
  ];
  const used = dictionaries.filter(([, values]) => values.length > 0);
  return [
    ...used.flatMap(([name, values]) => [`[dictionaries.${name}]`, `values = ${toml(values)}`, '']),
    '[parameters]',
    ...used.flatMap(([name, , bindings]) =>
      bindings.map((b) => `"${b}" = { dictionary = "${name}", probability = ${probability} }`),
    ),
    '',
    '[phases.stateful]',
    'enabled = true',
    'max-steps = 6',
    'inference.algorithms = ["location-headers", "dependency-analysis"]',
    '',
  ].join('\n');
}

/** Writes `schemathesisConfig(ids)` into `dir`; the answer is its path (for `st --config-file`). */
export function writeSchemathesisConfig(dir: string, ids: RealIds): string {
  const file = path.join(dir, 'schemathesis.toml');
  writeFileSync(file, schemathesisConfig(ids));
  return file;
}
