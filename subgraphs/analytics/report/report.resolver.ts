import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { AnalyticsContext } from '../context';
import { ReportJob, ReportKind } from './report-job.entity';
import type { ReportService } from './report.service';

/** A class, so that the arguments keep the order of the API (parameter decorators run last to first). */
@ArgsType()
class ExportReportArgs {
  @Field(() => ReportKind)
  kind!: ReportKind;

  @Field(() => Date, { description: 'Start of the window (included).' })
  from!: Date;

  @Field(() => Date, { description: 'End of the window (excluded); at most 366 days after `from`.' })
  to!: Date;
}

/** Report exports: asked for, followed, downloaded. School admins and teachers only. */
@Resolver(() => ReportJob)
export class ReportJobResolver {
  /** One signed link per job and request: `downloadUrl` and `expiresAt` describe the same URL. */
  private readonly links = new WeakMap<ReportJob, Promise<{ url: string; expiresAt: Date } | null>>();

  constructor(private readonly service: ReportService) {}

  @Authorized()
  @Mutation(() => ReportJob, {
    description:
      'Queues a CSV export of `kind` over [from, to) (at most 366 days), written in the background: follow it with `reportJob` until ' +
      "SUCCEEDED, then download it from `downloadUrl`. School admins: every row of the school; a teacher: the rows of the courses they teach (payments: admins only). At most 5 of one's reports queued or running at once (RATE_LIMITED).",
  })
  exportReport(@Args() args: ExportReportArgs, @Ctx() ctx: AnalyticsContext): Promise<ReportJob> {
    return this.service.request(ctx, { kind: args.kind, from: args.from, to: args.to });
  }

  @Authorized()
  @Query(() => ReportJob, { nullable: true, description: "One of the viewer's own report exports; null for any other id." })
  reportJob(@Arg('id', () => ID) id: string, @Ctx() ctx: AnalyticsContext): Promise<ReportJob | null> {
    return this.service.job(ctx, id);
  }

  @Authorized()
  @Query(() => [ReportJob], { description: "The viewer's own report exports, newest first (the latest 50)." })
  reportJobs(@Ctx() ctx: AnalyticsContext): Promise<ReportJob[]> {
    return this.service.jobs(ctx);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Where to download the file: a fresh signed URL on every query, valid until `expiresAt`; null until SUCCEEDED.',
  })
  async downloadUrl(@Root() job: ReportJob): Promise<string | null> {
    return (await this.link(job))?.url ?? null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When `downloadUrl` stops working (query again for a new one); null without one.',
  })
  async expiresAt(@Root() job: ReportJob): Promise<Date | null> {
    return (await this.link(job))?.expiresAt ?? null;
  }

  private link(job: ReportJob) {
    let link = this.links.get(job);
    if (!link) this.links.set(job, (link = this.service.download(job)));
    return link;
  }
}
