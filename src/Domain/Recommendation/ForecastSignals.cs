using System.Collections.Concurrent;
using Thoras.Domain.Events;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Recommendation;

/// <summary>
/// What a forecast pass did, as operators see it (docs/observability.md), derived from each target's plan and what
/// happened to its items: <c>InvalidSpec</c> events (once per spec, when the condition is written), the suggestions
/// held back by why (counted when published), and each vertical series' calibration coverage. Coverage is the share of
/// the last <see cref="CoverageWindow"/> completed usage blocks whose peak stayed within the suggestion in force when
/// the block ended; it is kept in memory, per instance, from the usage each forecast reads anyway, so it costs no
/// read and restarts empty after a restart. Register the stage (and so this) as a singleton.
/// </summary>
/// <param name="events">Where the events go; null records the metrics only.</param>
public sealed class ForecastSignals(IEventRecorder? events)
{
    /// <summary>How many scored blocks the coverage of a series is taken over (a day of 5-minute blocks).</summary>
    public const int CoverageWindow = 288;

    /// <summary>A series not scored for this long is forgotten (its target was unenrolled or stopped scaling vertically).</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<(string Uid, string Series), Coverage> coverage = new();

    /// <summary>
    /// Scores the usage blocks completed since the last score of each vertical series of <paramref name="target"/>
    /// against its latest suggestion before this forecast (<paramref name="previous"/>), and reports the coverage.
    /// A suggestion is in force from its <c>start</c> until it is replaced: a forecast that publishes the same values
    /// holds it without rewriting it, and refreshes its <c>start</c>/<c>end</c> once it is <paramref name="refresh"/>
    /// old, so the blocks up to <c>end</c> + <paramref name="refresh"/> are scored against it; past that the forecasts
    /// have stopped holding it (they failed), and nothing is scored.
    /// </summary>
    public void Score(AIScaleTarget target, Suggestion? previous, IReadOnlyDictionary<string, IReadOnlyList<UsageBlock>> usage, TimeSpan block, DateTimeOffset now, TimeSpan refresh)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(usage);
        foreach (var (series, limit) in Limits(previous))
        {
            if (!usage.TryGetValue(series, out var blocks))
                continue;
            var window = coverage.GetOrAdd((target.Metadata.Uid, series), _ => new Coverage());
            lock (window)
            {
                window.Touched = now;
                foreach (var each in blocks.Where(b => b.Count > 0 && b.Start + block <= now && b.Start + block > previous!.Start && b.Start < previous.End + refresh && b.Start > window.LastScored).OrderBy(b => b.Start))
                    window.Add(each.Start, each.Max <= limit);
                if (window.Scored > 0)
                    ThorasMetrics.ReportCoverage(target.Key, series, window.Ratio);
            }
        }

        foreach (var stale in coverage.Where(c => now - c.Value.Touched > ForgetAfter).Select(c => c.Key).ToList())
            coverage.TryRemove(stale, out _);
    }

    /// <summary>Records the events and counters of a pass's results.</summary>
    public async Task RecordAsync(IReadOnlyList<ForecastedTarget> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            foreach (var publish in result.Items.Where(i => i.Done).Select(i => i.Item).OfType<PublishSuggestion>().Where(p => !p.ExpectedToApply))
                ThorasMetrics.SuggestionHeldBack(result.Key, publish.Eligibility?.Direction, HeldBackReason(publish.Eligibility?.Refusal));

            if (events is not null && result.Outcome == ForecastOutcome.Invalid && result.Items.Where(i => i.Done).Select(i => i.Item).OfType<ReportCondition>().FirstOrDefault() is { } report)
            {
                await events.RecordAsync(
                    TargetEvent.Warn(result.Key, report.TargetUid, EventReasons.InvalidSpec, "Validate", $"Neither forecast nor scaled until the spec is fixed: {result.Detail}."),
                    cancellationToken);
            }
        }
    }

    /// <summary>The label of why a suggestion is held back: the refusal in snake case (<c>not_autonomous</c>, <c>paused</c>...).</summary>
    public static string HeldBackReason(Ineligibility? refusal) => refusal switch
    {
        Ineligibility.NotAutonomous => "not_autonomous",
        Ineligibility.NoSuggestion => "no_suggestion",
        Ineligibility.NotEnoughData => "not_enough_data",
        Ineligibility.Paused => "paused",
        Ineligibility.WorkloadMissing => "workload_missing",
        Ineligibility.NoSingleHpa => "no_single_hpa",
        Ineligibility.NoReplicaCount => "no_replica_count",
        _ => "unknown",
    };

    /// <summary>Each vertical series the suggestion sets a request for, with that request in the series' units.</summary>
    private static IEnumerable<(string Series, double Limit)> Limits(Suggestion? suggestion)
    {
        foreach (var recommendation in suggestion?.ResourceRecommendations ?? [])
        {
            if (recommendation.ContainerName is not { } container || recommendation.Requests is not { } requests)
                continue;
            if (requests.Cpu is { } cpu)
                yield return (UsageSeries.Container(container, UsageSeries.Cpu), cpu.ToDouble());
            if (requests.Memory is { } memory)
                yield return (UsageSeries.Container(container, UsageSeries.Memory), memory.ToDouble());
        }
    }

    /// <summary>The last <see cref="CoverageWindow"/> scores of one series.</summary>
    private sealed class Coverage
    {
        private readonly Queue<bool> hits = new();
        private int covered;

        public DateTimeOffset LastScored { get; private set; } = DateTimeOffset.MinValue;

        public DateTimeOffset Touched { get; set; }

        public int Scored => hits.Count;

        public double Ratio => (double)covered / hits.Count;

        public void Add(DateTimeOffset start, bool within)
        {
            LastScored = start;
            hits.Enqueue(within);
            covered += within ? 1 : 0;
            if (hits.Count > CoverageWindow && hits.Dequeue())
                covered--;
        }
    }
}
