import type { Feature } from '../../../platform/subgraph/feature';
import { ReportJob } from './report-job.entity';
import { ReportJobResolver } from './report.resolver';

/**
 * Report exports (`exportReport`, `reportJob`, `reportJobs`): the jobs, and their worker, which
 * app.ts wires with the file storage (report.worker.ts).
 */
export const reportFeature = {
  entities: [ReportJob],
  resolvers: [ReportJobResolver],
} satisfies Feature;
