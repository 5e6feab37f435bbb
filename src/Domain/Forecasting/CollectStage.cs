using Thoras.Domain.Targets;
using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Forecasting;

/// <summary>
/// The collection stage (DESIGN.md §7): for every valid target that is not being deleted, in any mode, reads the
/// PodMetrics of its pods that are past the warm-up and folds them into the current usage block of each series
/// (<see cref="UsageSeries"/>). The cluster is read once per pass (the targets, then the workloads and pods of each
/// namespace, and its PodMetrics); each target's blocks are read once and written together. One target failing never
/// stops the others.
/// </summary>
public sealed class CollectStage(ITargetCluster cluster, IPodMetricsSource metrics, IUsageStore usage, CollectOptions options, TimeProvider time)
{
    /// <summary>How long one namespace read of the pass may take.</summary>
    private static readonly TimeSpan ReadBudget = TimeSpan.FromSeconds(20);

    /// <summary>Collects one sample for every target.</summary>
    public Task<CollectionPass> RunOnceAsync(CancellationToken cancellationToken) => RunOnceAsync(TargetScope.All, cancellationToken);

    /// <summary>Collects one sample for every target of <paramref name="scope"/> (a batch of a fanned-out pass).</summary>
    public async Task<CollectionPass> RunOnceAsync(TargetScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var now = time.GetUtcNow();
        var snapshot = await ClusterSnapshot.TakeAsync(cluster, scope, ReadBudget, time, cancellationToken);
        // The fleet-wide gauge only from a pass over every target; a fanned-out tick reports it from its coordinator.
        if (ReferenceEquals(scope, TargetScope.All))
            ThorasMetrics.ReportTargets(snapshot.Targets);
        var byNamespace = new Dictionary<string, IReadOnlyList<PodUsage>>(StringComparer.Ordinal);
        var results = new List<CollectedTarget>();
        foreach (var target in snapshot.Targets)
        {
            using var span = ThorasTelemetry.StartTarget("collect", target.Key, target.Metadata.Uid);
            try
            {
                var resolved = await snapshot.ResolveAsync(target, TargetReads.Workload | TargetReads.Pods, cancellationToken);
                if (resolved is null)
                {
                    results.Add(new CollectedTarget(target.Key, 0, 0, "its workload does not exist"));
                    continue;
                }

                if (!byNamespace.TryGetValue(target.Key.Namespace, out var podUsage))
                {
                    podUsage = await metrics.ReadAsync(target.Key.Namespace, cancellationToken);
                    byNamespace[target.Key.Namespace] = podUsage;
                }

                results.Add(await CollectAsync(target, resolved, podUsage, now, cancellationToken));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                ThorasTelemetry.Failed(span, ex.Message);
                results.Add(new CollectedTarget(target.Key, 0, 0, ex.Message, Failed: true));
            }
        }

        return new CollectionPass(now, results);
    }

    /// <summary>The block to store: <paramref name="current"/> (if any) with one more sample of <paramref name="max"/> and <paramref name="mean"/>.</summary>
    public static UsageBlock Fold(UsageBlock? current, DateTimeOffset blockStart, double max, double mean) =>
        current is { Count: > 0 } block
            ? new UsageBlock(blockStart, Math.Max(block.Max, max), ((block.Mean * block.Count) + mean) / (block.Count + 1), block.Count + 1)
            : new UsageBlock(blockStart, max, mean, 1);

    private async Task<CollectedTarget> CollectAsync(AIScaleTarget target, ResolvedTarget resolved, IReadOnlyList<PodUsage> podUsage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var warm = resolved.Pods
            .Where(p => p.Phase == "Running" && !p.IsTerminating && p.StartTime is { } started && now - started >= options.Warmup)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
        var skipped = resolved.Pods.Count - warm.Count;
        var measured = podUsage.Where(p => warm.Contains(p.PodName)).ToList();
        if (measured.Count == 0)
        {
            return new CollectedTarget(target.Key, 0, skipped, "no pod past the warm-up reports usage");
        }

        var samples = new Dictionary<string, (double Max, double Mean)>(StringComparer.Ordinal)
        {
            [UsageSeries.Replicas] = (measured.Count, measured.Count),
            [UsageSeries.Total(UsageSeries.Cpu)] = Same(measured.Sum(p => p.Containers.Sum(c => c.Cpu))),
            [UsageSeries.Total(UsageSeries.Memory)] = Same(measured.Sum(p => p.Containers.Sum(c => c.Memory))),
        };
        foreach (var container in measured.SelectMany(p => p.Containers).GroupBy(c => c.Name, StringComparer.Ordinal))
        {
            samples[UsageSeries.Container(container.Key, UsageSeries.Cpu)] = (container.Max(c => c.Cpu), container.Average(c => c.Cpu));
            samples[UsageSeries.Container(container.Key, UsageSeries.Memory)] = (container.Max(c => c.Memory), container.Average(c => c.Memory));
        }

        ReportProvisioning(target.Key, resolved.Pods.Where(p => warm.Contains(p.Name)), measured);
        var blockStart = UsageSeries.BlockStart(now, UsageSeries.Block);
        var folds = samples.ToDictionary(s => s.Key, s => (Func<UsageBlock?, UsageBlock>)(current => Fold(current, blockStart, s.Value.Max, s.Value.Mean)), StringComparer.Ordinal);
        await usage.FoldAsync(target.Metadata.Uid, blockStart, folds, cancellationToken);
        return new CollectedTarget(target.Key, measured.Count, skipped, null);
    }

    private static (double Max, double Mean) Same(double value) => (value, value);

    /// <summary>Requests over usage per resource, over the containers that have both a request and some usage.</summary>
    private static void ReportProvisioning(TargetKey key, IEnumerable<WorkloadPod> pods, IReadOnlyList<PodUsage> measured)
    {
        var requests = pods.SelectMany(p => p.Containers.Select(c => (Key: (p.Name, c.Name), c.Requests)))
            .ToDictionary(x => x.Key, x => x.Requests);
        var used = measured.SelectMany(p => p.Containers.Select(c => (Request: requests.GetValueOrDefault((p.PodName, c.Name)), c.Cpu, c.Memory))).ToList();
        Report(UsageSeries.Cpu, used.Where(u => u.Request?.Cpu is not null && u.Cpu > 0).Select(u => (u.Request!.Cpu!.Value.ToDouble(), u.Cpu)));
        Report(UsageSeries.Memory, used.Where(u => u.Request?.Memory is not null && u.Memory > 0).Select(u => (u.Request!.Memory!.Value.ToDouble(), u.Memory)));

        void Report(string resource, IEnumerable<(double Request, double Usage)> pairs)
        {
            var list = pairs.ToList();
            if (list.Count > 0)
                ThorasMetrics.ReportProvisioning(key, resource, list.Sum(p => p.Request) / list.Sum(p => p.Usage));
        }
    }
}

/// <summary>What one collection tick did.</summary>
public sealed record CollectionPass(DateTimeOffset At, IReadOnlyList<CollectedTarget> Targets);

/// <summary>What collection did for one target: how many pods were measured and skipped, and why none were if so.</summary>
public sealed record CollectedTarget(TargetKey Key, int PodsMeasured, int PodsSkipped, string? Note, bool Failed = false);
