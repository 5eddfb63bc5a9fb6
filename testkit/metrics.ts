import { request } from './graphql-client';

export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus metric on a service's /metrics, with their labels. */
export async function metricSamples(baseUrl: string, name: string): Promise<MetricSample[]> {
  const { text } = await request(`${baseUrl}/metrics`, { method: 'GET' });
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    samples.push({ labels, value: Number(match[3]) });
  }
  return samples;
}

/**
 * Sum of a Prometheus metric's samples on a service's /metrics, over the samples whose labels
 * include all of `labels`.
 */
export async function metric(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const samples = await metricSamples(baseUrl, name);
  return samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}
