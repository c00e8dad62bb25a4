import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

// Baselines for the system benchmarks: what Temporal itself costs with nothing of ours inside.

/** Starts and ends: the baseline of a launch. */
export async function emptyWorkflow(): Promise<void> {}

export const echo = defineUpdate<number, [number]>('echo');
export const done = defineSignal('done');

/** Answers an Update at once: the baseline of a step. */
export async function echoWorkflow(): Promise<void> {
  let finished = false;
  setHandler(echo, (n) => n);
  setHandler(done, () => void (finished = true));
  await condition(() => finished);
}
