import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';

export const TASK_QUEUE = 'certflow';

export interface WorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace?: string;
  readonly taskQueue?: string;
  /** The activity implementations (the app composes them from @certflow/activities). */
  readonly activities: object;
  readonly bundle: WorkflowBundleOption;
  /** Workflows kept in memory; 10^5 sets with timers need far fewer cached than exist. */
  readonly maxCachedWorkflows?: number;
  readonly maxConcurrentActivityTaskExecutions?: number;
  readonly maxConcurrentWorkflowTaskExecutions?: number;
}

export function createWorker(o: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace ?? 'default',
    taskQueue: o.taskQueue ?? TASK_QUEUE,
    workflowBundle: o.bundle,
    activities: o.activities,
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
    ...(o.maxConcurrentActivityTaskExecutions !== undefined
      ? { maxConcurrentActivityTaskExecutions: o.maxConcurrentActivityTaskExecutions }
      : {}),
    ...(o.maxConcurrentWorkflowTaskExecutions !== undefined
      ? { maxConcurrentWorkflowTaskExecutions: o.maxConcurrentWorkflowTaskExecutions }
      : {}),
  });
}
