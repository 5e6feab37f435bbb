// Turns a target's stored usage and suggestion history into the series of its timeline: per container and resource,
// the usage, the suggested bound, the requests applied, the controller spec, and the suggestions a pause held back
// ("would have applied") with the spans they fall in.
import { isPausedRecord, type FleetRow, type SuggestionRecord, type UsageHistory } from './api';
import { quantity } from './format';

export type Point = [number, number | null];

export interface Timeline {
  title: string;
  unit: 'cores' | 'bytes' | 'pods';
  from: number;
  to: number;
  usagePeak: Point[];
  usageMean: Point[];
  suggested: Point[];
  applied: Point[];
  spec: number | null;
  specLabel: string;
  wouldHaveApplied: [number, number][];
  pausedSpans: [number, number][];
}

type Pick = (record: SuggestionRecord) => number | null;

/** The timeline of one container's CPU or memory. */
export function resourceTimeline(usage: UsageHistory, history: SuggestionRecord[], row: FleetRow, container: string, resource: 'cpu' | 'memory'): Timeline {
  const series = usage.series.find((s) => s.container === container && s.resource === resource);
  const c = row.containers.find((x) => x.name === container);
  const pick: Pick = (r) => quantity(r.suggestion.resourceRecommendations?.find((x) => x.containerName === container)?.requests?.[resource]);
  const spec = resource === 'cpu' ? (c?.spec?.cpuCores ?? null) : (c?.spec?.memoryBytes ?? null);
  const running = resource === 'cpu' ? (c?.running?.cpuCores ?? null) : (c?.running?.memoryBytes ?? null);
  const appliedNow = row.lastApplied.vertical ? running : null;
  return build(usage, history, series?.blocks ?? [], pick, spec, 'Controller spec', appliedNow, {
    title: `${container}: ${resource === 'cpu' ? 'CPU' : 'memory'} requests and usage`,
    unit: resource === 'cpu' ? 'cores' : 'bytes',
  });
}

/** The timeline of the replica count and the suggested HPA floor. */
export function replicaTimeline(usage: UsageHistory, history: SuggestionRecord[], row: FleetRow): Timeline {
  const series = usage.series.find((s) => s.resource === 'replicas');
  const pick: Pick = (r) => r.suggestion.suggestedReplicas ?? null;
  const floor = row.replicas?.originalMinReplicas ?? row.replicas?.minReplicas ?? null;
  const appliedNow = row.lastApplied.horizontal ? (row.replicas?.minReplicas ?? null) : null;
  return build(usage, history, series?.blocks ?? [], pick, floor, 'HPA minReplicas (own)', appliedNow, {
    title: 'Replicas and the suggested HPA floor',
    unit: 'pods',
  });
}

function build(
  usage: UsageHistory,
  history: SuggestionRecord[],
  blocks: UsageHistory['series'][number]['blocks'],
  pick: Pick,
  spec: number | null,
  specLabel: string,
  appliedNow: number | null,
  head: { title: string; unit: Timeline['unit'] },
): Timeline {
  const from = Date.parse(usage.from);
  const to = Date.parse(usage.to);
  const timeline: Timeline = {
    ...head,
    from,
    to,
    usagePeak: blocks.map((b) => [Date.parse(b.start), b.max]),
    usageMean: blocks.map((b) => [Date.parse(b.start), b.mean]),
    suggested: [],
    applied: [],
    spec,
    specLabel,
    wouldHaveApplied: [],
    pausedSpans: [],
  };

  // Oldest first; records before the range still tell what was applied when it starts.
  const records = [...history].sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt));
  let applied: number | null = null;
  let lastSuggested: number | null = null;
  let pausedSince: number | null = null;
  for (const record of records) {
    const at = Date.parse(record.publishedAt);
    const value = pick(record);
    const paused = isPausedRecord(record);
    if (record.expectedToApply) {
      applied = value ?? applied;
    } else if (record.reason.startsWith('recommendation mode')) {
      // Leaving autonomous mode reverts the workload to its controller spec.
      applied = null;
    }

    if (at < from || at >= to) continue;
    if (paused && pausedSince === null) pausedSince = at;
    if (!paused && pausedSince !== null) {
      timeline.pausedSpans.push([pausedSince, at]);
      pausedSince = null;
    }

    if (paused && value !== null) timeline.wouldHaveApplied.push([at, value]);
    lastSuggested = value;
    timeline.suggested.push([at, value]);
    timeline.applied.push([at, applied]);
  }

  if (pausedSince !== null) timeline.pausedSpans.push([pausedSince, to]);
  // The steps run on to the end of the range; what runs now is read from the pods, not guessed from history.
  if (timeline.suggested.length > 0) timeline.suggested.push([to, lastSuggested]);
  if (timeline.applied.length > 0 || appliedNow !== null) timeline.applied.push([to, appliedNow]);
  return timeline;
}
