import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, type ReplayResult } from '@temporalio/worker';
import type { History } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflows } from '@certflow/temporal-runtime';
import { historyFromJson } from './history-json';

// Histories of recorded runs (tools/record-histories.ts) replayed against the workflow code of
// today: a change that running workflows could not replay fails here, before it reaches a worker.
// Re-record only when such a change is meant to ship, with a patch or a new workflow version for
// the runs already in flight.
const dir = path.join(__dirname, 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** `credential-set-full.run-2.json` holds the second run of workflow `credential-set-full`. */
const workflowIdOf = (file: string) => path.basename(file, '.json').replace(/\.run-\d+$/, '');

const histories = new Map<string, History>(
  files.map((file) => [file, historyFromJson(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))]),
);
const results = new Map<string, ReplayResult>();

beforeAll(async () => {
  const replay = Worker.runReplayHistories(
    { workflowBundle: await bundleWorkflows() },
    files.map((file) => ({ workflowId: workflowIdOf(file), history: histories.get(file)! })),
  );
  // One history at a time, results in the order given.
  let i = 0;
  for await (const result of replay) results.set(files[i++]!, result);
});

describe('recorded workflow histories', () => {
  it('cover both workflows, Updates, durable timers and a continue-as-new', () => {
    const events = [...histories.values()].flatMap((h) => h.events ?? []);
    const types = new Set(
      events.map((e) => e.workflowExecutionStartedEventAttributes?.workflowType?.name).filter(Boolean),
    );
    expect([...types].sort()).toEqual(['campaignLaunchWorkflow', 'credentialSetWorkflow', 'partyWorkflow']);
    expect(events.some((e) => e.workflowExecutionUpdateCompletedEventAttributes)).toBe(true);
    expect(events.some((e) => e.timerFiredEventAttributes)).toBe(true);
    expect(events.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
  });

  it('cover the patches of the bounded retries, due-step retries, launch chunks, policy amendments and carried answers', () => {
    const patches = new Set(
      [...histories.values()]
        .flatMap((h) => h.events ?? [])
        .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
        .flatMap((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? [])
        .map((p) => (JSON.parse(Buffer.from(p.data!).toString('utf8')) as { id: string }).id),
    );
    for (const id of [
      'bounded-append-retries',
      'retry-due-steps',
      'bounded-launch-chunks',
      'policy-amendments-from-log',
      'carry-step-answers',
    ]) {
      expect(patches).toContain(id);
    }
  });

  it.each(files)('%s replays on the current workflow code', (file) => {
    const result = results.get(file);
    expect(result).toBeDefined();
    // The history's name and the replay error's message, side by side in any failure.
    expect({ history: file, error: result?.error && `${result.error.name}: ${result.error.message}` }).toEqual({
      history: file,
      error: undefined,
    });
  });
});
