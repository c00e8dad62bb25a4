import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';

export interface Readiness {
  readonly postgres: boolean;
  readonly temporal: boolean;
}

/** Whether PostgreSQL answers a query and Temporal its system info; a probe never throws. */
export class CheckReadinessUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly client: Client,
  ) {}

  async execute(): Promise<Readiness> {
    const postgres = await this.db.query('SELECT 1').then(
      () => true,
      () => false,
    );
    const temporal = await this.client.workflowService.getSystemInfo({}).then(
      () => true,
      () => false,
    );
    return { postgres, temporal };
  }
}
