import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { asOf, checkpoint, exportEvents, history, projections, verify } from './commands/audit';
import { dbMigrate, dbRevert, dbStart } from './commands/db';
import { policyCommand } from './commands/policy';

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
      return dbStart();
    case 'db migrate':
      return dbMigrate();
    case 'db revert':
      return dbRevert();
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
        ...(values.from ? { from: values.from } : {}),
        ...(values.to ? { to: values.to } : {}),
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
  return values.help ? 0 : 64;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
