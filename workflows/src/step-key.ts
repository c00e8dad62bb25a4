/** The sequence number of a stream's first step (a workflow's first, or a launch's first events). */
export const FIRST_STEP = 1;

/**
 * The idempotency key of a step: `<workflow id>:<step sequence>`. A stream's workflow id is its
 * stream id, so the launch, writing first events for workflows it then starts, uses the same key.
 */
export function stepKey(workflowId: string, seq: number): string {
  return `${workflowId}:${seq}`;
}
