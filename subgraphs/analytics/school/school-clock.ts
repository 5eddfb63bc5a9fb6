import type { AnalyticsContext } from '../context';

/**
 * Each school's time zone ("live sessions today" is a day of the school's calendar). The gateway
 * vouches for it in every call's signed context; the dashboards, computed outside any request,
 * use the last one a request of that school carried, else the default (DEFAULT_TIME_ZONE).
 */
export class SchoolClock {
  private readonly zones = new Map<string, string>();

  constructor(private readonly fallback: string) {}

  timeZoneOf(ctx: Pick<AnalyticsContext, 'tenant'>): string {
    const tenant = ctx.tenant;
    if (!tenant) return this.fallback;
    if (tenant.timezone) this.zones.set(tenant.id, tenant.timezone);
    return this.forSchool(tenant.id);
  }

  forSchool(schoolId: string): string {
    return this.zones.get(schoolId) ?? this.fallback;
  }
}
