import { readFileSync } from 'node:fs';
import { DomainError, formatYuan, loadPolicy, localDateOf, rebasePolicy, type CampaignPolicy } from '@certflow/domain';

/** `policy <file> [--rebase YYYY-MM-DD|today] [--json]`: validates a policy and prints it, or every problem. */
export function policyCommand(
  file: string,
  options: { rebase?: string | undefined; json?: boolean | undefined },
): number {
  let policy: CampaignPolicy;
  try {
    policy = loadPolicy(JSON.parse(readFileSync(file, 'utf8')));
    if (options.rebase) {
      const day = options.rebase === 'today' ? localDateOf(Date.now(), policy.timeZone) : options.rebase;
      policy = rebasePolicy(policy, day);
    }
  } catch (e) {
    if (e instanceof DomainError && Array.isArray(e.details['issues'])) {
      process.stderr.write(`${file}: refused\n`);
      for (const i of e.details['issues'] as { path: string; rule: string }[])
        process.stderr.write(`  ${i.path}: ${i.rule}\n`);
      return 1;
    }
    throw e;
  }
  process.stdout.write(options.json ? `${JSON.stringify(policy, null, 2)}\n` : describe(policy));
  return 0;
}

function describe(p: CampaignPolicy): string {
  const c = p.calendar;
  const lines = [
    `${p.id} v${p.version}: ${p.name}`,
    `  ${p.reference}, ${p.issuedBy}, ${p.issuedOn}; time zone ${p.timeZone}`,
    p.rebasedFrom ? `  rehearsal of ${p.rebasedFrom.policyId}, shifted ${p.rebasedFrom.shiftDays} days` : '',
    `  jurisdictions: ${p.jurisdictions.map((j) => j.name).join(', ')}`,
    `  applications open ${c.applicationsOpen}, deadline ${c.applicationDeadline}, suppliers from ${c.supplierApplicationsOpen}`,
    `  completion target ${c.completionTarget}; transition window ${c.transitionWindow.start}..${c.transitionWindow.end}`,
    `  additional-set filings from ${c.additionalSetFilingsOpen}`,
    ...Object.entries(p.platforms).map(
      ([code, pl]) => `  platform ${code}: old credential stops ${pl.oldCredentialStopsOn ?? '(not yet set)'}`,
    ),
    ...Object.entries(p.fees).map(
      ([kind, f]) => `  fee ${kind}: CA ${formatYuan(f.ca)} + seal ${formatYuan(f.seal)} yuan`,
    ),
  ];
  return `${lines.filter(Boolean).join('\n')}\n`;
}
