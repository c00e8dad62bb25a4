import { ApplicationError } from '@certflow/application';
import { DomainError, loadPolicy, type Actor, type LaunchItem, type PartyDetails } from '@certflow/domain';
import type { CampaignContext } from '@certflow/parties';
import changzhou from '@certflow/policies/changzhou-2023.json';
import type { DataSource } from 'typeorm';
import { LaunchCampaignUseCase } from './launch-campaign.use-case';

const policy = loadPolicy(changzhou);
const staff: Actor = { id: 'staff-1', role: 'FINANCE_STAFF' };

const party = (partyId: string, identifier = '11320400014000001T'): PartyDetails => ({
  partyId,
  partyType: 'BUDGET_UNIT',
  name: '常州市某局',
  jurisdiction: 'changzhou',
  identifier,
  supervisingUnitId: 'bu-0',
  contact: { name: '张三', phone: '0519-85681829' },
});
const item = (partyId: string, identifier?: string): LaunchItem => ({
  party: party(partyId, identifier),
  setId: `${partyId}-a`,
  kind: 'NEW',
  oldCredential: null,
});

/** A launch that must be refused before it touches PostgreSQL or Temporal: both throw if reached. */
function refusingLaunch(): LaunchCampaignUseCase {
  const untouchable = new Proxy({}, { get: () => fail('reached a backing service') });
  const ctx = { client: untouchable, policy, taskQueue: 'q', now: () => Date.parse('2023-09-05T02:00:00Z') };
  return new LaunchCampaignUseCase(ctx as unknown as CampaignContext, untouchable as DataSource);
}

async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => fail('the launch was accepted'),
    (e: unknown) => e,
  );
}

function fail(why: string): never {
  throw new Error(why);
}

describe('LaunchCampaignUseCase', () => {
  it('refuses the whole list for one bad item, naming each item and field, writing nothing', async () => {
    const e = await refusal(
      refusingLaunch().execute(staff, { items: [item('bu-1'), item('bu-2', '11320400014000001X'), item('bu-1')] }),
    );
    expect(e).toBeInstanceOf(ApplicationError);
    expect(e).toMatchObject({
      code: 'INVALID_FIELD',
      detail: expect.stringMatching(/^\d+ problem\(s\) in the launch list$/),
    });
    const paths = (e as ApplicationError).errors!.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['items[1].party.identifier', 'items[2].party.partyId']));
  });

  it('refuses a role that may not launch once, not as a problem per item', async () => {
    const e = await refusal(
      refusingLaunch().execute({ id: 'a', role: 'AUDITOR' }, { items: [item('bu-1'), item('bu-2')] }),
    );
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
  });
});
