import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { createEventActivities, createLaunchActivities } from '@certflow/activities';
import type { PostgresEventStore } from '@certflow/event-store';

export const TASK_QUEUE = 'certflow';

export interface WorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace?: string;
  readonly taskQueue?: string;
  readonly store: PostgresEventStore;
  /** For the launch activity: its list of items, and the client that starts the sets' workflows. */
  readonly db: DataSource;
  readonly client: Client;
  readonly launchStartConcurrency?: number;
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
    activities: {
      ...createEventActivities({ store: o.store }),
      ...createLaunchActivities({
        db: o.db,
        store: o.store,
        client: o.client,
        ...(o.launchStartConcurrency !== undefined ? { startConcurrency: o.launchStartConcurrency } : {}),
      }),
    },
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
    ...(o.maxConcurrentActivityTaskExecutions !== undefined
      ? { maxConcurrentActivityTaskExecutions: o.maxConcurrentActivityTaskExecutions }
      : {}),
    ...(o.maxConcurrentWorkflowTaskExecutions !== undefined
      ? { maxConcurrentWorkflowTaskExecutions: o.maxConcurrentWorkflowTaskExecutions }
      : {}),
  });
}
