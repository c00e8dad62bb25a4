import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  addDays,
  decideCredentialSet,
  foldCredentialSet,
  loadPolicy,
  localDateOf,
  rebasePolicy,
  startOfDay,
  toInstant,
  type CredentialSetCommand,
  type CredentialSetEvent,
} from '@certflow/domain';
import { createDataSource, PostgresEventStore, Projector } from '@certflow/event-store';
import { databaseUrl, root } from '../config';

/**
 * `demo seed`: a few credential sets of the 2023 Changzhou campaign, rebased to start today, taken
 * step by step through the domain's decide and appended to the event store — something for the
 * audit commands to show until the workflows and the API arrive. Re-running changes nothing
 * (every append carries an idempotency key).
 */
export async function seed(): Promise<number> {
  const doc: unknown = JSON.parse(readFileSync(path.join(root, 'policies/changzhou-2023.json'), 'utf8'));
  const historic = loadPolicy(doc);
  const policy = rebasePolicy(historic, localDateOf(Date.now(), historic.timeZone));
  const tz = policy.timeZone;
  const at = (day: string, hour: number) => toInstant(startOfDay(day, tz) + hour * 3_600_000);
  const c = policy.calendar;
  const db = await createDataSource(databaseUrl(), { poolSize: 4 }).initialize();
  try {
    const store = new PostgresEventStore(db);
    const sets = [
      { id: 'demo-wujin-edu', party: 'wujin-education-bureau', jurisdiction: 'wujin', steps: 5 },
      { id: 'demo-city-centre', party: 'changzhou-procurement-centre', jurisdiction: 'changzhou', steps: 3 },
    ];
    for (const s of sets) {
      const centre = s.id === 'demo-city-centre';
      const commands: CredentialSetCommand[] = [
        {
          type: 'ApplyForCredentialSet',
          at: at(c.applicationsOpen, 10),
          actor: centre
            ? { id: 'finance-zhang', role: 'FINANCE_STAFF' }
            : { id: 'supervisor-li', role: 'SUPERVISING_UNIT' },
          setId: s.id,
          party: {
            partyId: s.party,
            partyType: centre ? 'PROCUREMENT_CENTER' : 'BUDGET_UNIT',
            jurisdiction: s.jurisdiction,
            supervisingUnitId: centre ? null : 'wujin-education-bureau',
          },
          kind: 'REPLACEMENT',
          oldCredential: {
            serial: `GX-${s.id}`,
            validUntil: at(addDays(c.applicationsOpen, 200), 0),
            boundPlatforms: ['SUCAIYUN', 'CZ_PROCUREMENT'],
          },
          firstSetOfParty: true,
        },
        ...(centre
          ? []
          : [
              {
                type: 'CollectApplication',
                at: at(c.applicationsOpen, 15),
                actor: { id: 'supervisor-li', role: 'SUPERVISING_UNIT' },
              } as const,
            ]),
        {
          type: 'AcceptFiling',
          at: at(c.applicationDeadline, 11),
          actor: { id: 'finance-zhang', role: 'FINANCE_STAFF' },
        },
        {
          type: 'IssueCredentialSet',
          at: at(c.completionTarget, 9),
          actor: { id: 'finance-zhang', role: 'FINANCE_STAFF' },
          ca: {
            serial: `CA-${s.id}`,
            issuer: '江苏省电子政务证书认证中心',
            validFrom: at(c.completionTarget, 9),
            validUntil: at(addDays(c.completionTarget, 365), 9),
          },
          seal: {
            serial: `SEAL-${s.id}`,
            issuer: '方正国际软件(北京)有限公司',
            validFrom: at(c.completionTarget, 9),
            validUntil: at(addDays(c.completionTarget, 365), 9),
          },
        },
        {
          type: 'UnbindOldCredential',
          at: at(c.transitionWindow.start, 9),
          actor: { id: 'contact', role: 'PARTY' },
          platform: 'SUCAIYUN',
        },
      ];
      let events: CredentialSetEvent[] = [];
      for (const [i, command] of commands.slice(0, s.steps).entries()) {
        if (Date.parse(command.at) > Date.now()) break; // the rehearsal has not reached that day yet
        const decided = decideCredentialSet(command, foldCredentialSet(events), policy);
        await store.append(`credential-set-${s.id}`, decided, {
          expectedVersion: events.length,
          idempotencyKey: `demo-${s.id}-${i}`,
        });
        events = [...events, ...decided];
      }
      process.stdout.write(`credential-set-${s.id}: ${foldCredentialSet(events).status}, ${events.length} events\n`);
    }
    await new Projector(db, store).catchUp();
    return 0;
  } finally {
    await db.destroy();
  }
}
