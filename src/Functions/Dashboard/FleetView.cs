using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Fleet;
using Thoras.Domain.Targets;

namespace Thoras.Functions.Dashboard;

/// <summary>
/// Builds the dashboard's fleet rows: each target with its workload as it runs now (controller spec, pods, HPA), its
/// conditions, its latest suggestion, when it was last applied and the waste or saving estimate. Workloads are read a
/// few at a time, and one that cannot be read gives a row that says why instead of failing the table.
/// </summary>
public sealed class FleetView(ITargetCluster cluster, IEnrollmentStore store, DashboardOptions options, ILogger<FleetView> logger)
{
    /// <summary>How many workloads are read at once.</summary>
    public const int MaxParallelReads = 8;

    /// <summary>Every target, by namespace then name.</summary>
    public async Task<IReadOnlyList<FleetRow>> ListAsync(CancellationToken cancellationToken)
    {
        var listing = await cluster.ListAsync([], cancellationToken);
        var records = (await store.ListAsync(cancellationToken)).ToDictionary(r => r.Key);
        var rows = new ConcurrentBag<FleetRow>();
        await Parallel.ForEachAsync(
            listing.Targets,
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelReads, CancellationToken = cancellationToken },
            async (target, token) => rows.Add(await RowAsync(target, records.GetValueOrDefault(target.Key), token)));
        foreach (var invalid in listing.Invalid)
        {
            rows.Add(InvalidRow(invalid, records.GetValueOrDefault(invalid.Key)));
        }

        return [.. rows.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    /// <summary>One target's row, or null when there is no target at <paramref name="key"/>.</summary>
    public async Task<FleetRow?> GetAsync(TargetKey key, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(key, cancellationToken);
        try
        {
            var target = await cluster.GetAsync(key, cancellationToken);
            return target is null ? null : await RowAsync(target, record, cancellationToken);
        }
        catch (InvalidTargetException ex)
        {
            return InvalidRow(ex.Target, record);
        }
    }

    private async Task<FleetRow> RowAsync(AIScaleTarget target, EnrolledTarget? record, CancellationToken cancellationToken)
    {
        record = record?.Uid == target.Metadata.Uid ? record : null;
        ResolvedTarget? resolved = null;
        string? error = null;
        try
        {
            resolved = await cluster.ResolveAsync(target, cancellationToken);
            error = resolved is null ? "its workload does not exist" : null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Reading the workload of {Target} for the fleet view failed", target.Key);
            error = "its workload could not be read: " + ex.Message;
        }

        var spec = target.Spec;
        var latest = target.Status.LatestSuggestion;
        var estimate = resolved is null ? null : ProvisioningEstimate.Of(resolved, latest, record?.Horizontal, options.Prices);
        return new FleetRow(
            target.Key.Namespace,
            target.Key.Name,
            target.Metadata.Uid,
            spec.ScaleTargetRef is { } r ? $"{r.Kind}/{r.Name}" : $"pods matching {spec.Selector}",
            resolved is not null,
            spec.ModeOf(ScalingDirection.Vertical)?.ToWireName(),
            spec.ModeOf(ScalingDirection.Horizontal)?.ToWireName(),
            target.Metadata.IsDeleting || record?.Unenroll is not null,
            null,
            Condition(target.Status.Condition(TargetConditionTypes.Ready)),
            Condition(target.Status.Condition(TargetConditionTypes.Scaling)),
            resolved is null ? [] : Containers(resolved, latest),
            resolved?.Workload is null ? null : Replicas(resolved, record, latest),
            latest is null ? null : new SuggestionSummary(latest.SuggestionUID, latest.Start, latest.End, latest.HasEnoughDataToScale),
            LastApplied(record),
            estimate is null ? null : new EstimateView(
                estimate.Waste.Cores, estimate.Waste.GiB, estimate.Saving.Cores, estimate.Saving.GiB,
                estimate.WastePerHour * NodePrices.HoursPerMonth, estimate.SavingPerHour * NodePrices.HoursPerMonth),
            error);
    }

    private static FleetRow InvalidRow(InvalidTarget target, EnrolledTarget? record)
    {
        record = record?.Uid == target.Metadata.Uid ? record : null;
        return new FleetRow(
            target.Key.Namespace, target.Key.Name, target.Metadata.Uid, null, false, null, null,
            target.Metadata.IsDeleting || record?.Unenroll is not null,
            [.. target.Problems.Select(p => p.ToString())],
            null, null, [], null, null, LastApplied(record), null, null);
    }

    private static IReadOnlyList<ContainerRow> Containers(ResolvedTarget resolved, Suggestion? latest)
    {
        var pods = Active(resolved);
        var names = (resolved.Workload?.Containers.Select(c => c.Name) ?? [])
            .Concat(pods.SelectMany(p => p.Containers).Select(c => c.Name))
            .Concat(latest?.ResourceRecommendations?.Select(r => r.ContainerName).OfType<string>() ?? [])
            .Distinct(StringComparer.Ordinal);
        return [.. names.Select(name =>
        {
            // The requests most pods run with; pods differ while a resize or a rollout is under way.
            var running = pods.SelectMany(p => p.Containers).Where(c => c.Name == name)
                .GroupBy(c => (c.Requests.Cpu, c.Requests.Memory))
                .OrderByDescending(g => g.Count())
                .ToList();
            return new ContainerRow(
                name,
                Resources(resolved.Workload?.Containers.FirstOrDefault(c => c.Name == name)?.Requests),
                running.Count == 0 ? null : Resources(running[0].First().Requests),
                running.Count <= 1,
                Resources(latest?.ResourceRecommendations?.FirstOrDefault(r => r.ContainerName == name)?.Requests));
        })];
    }

    private static ReplicasRow Replicas(ResolvedTarget resolved, EnrolledTarget? record, Suggestion? latest)
    {
        var hpa = resolved.SingleAutoscaler;
        return new ReplicasRow(
            resolved.Workload?.Replicas,
            Active(resolved).Count,
            hpa?.Name,
            hpa is null ? null : hpa.MinReplicas ?? 1,
            hpa?.MaxReplicas,
            record?.Horizontal is { } baseline ? baseline.OriginalMinReplicas ?? 1 : null,
            latest?.SuggestedReplicas);
    }

    private static List<WorkloadPod> Active(ResolvedTarget resolved) =>
        [.. resolved.Pods.Where(p => !p.IsTerminating && p.Phase is "Running" or "Pending")];

    private static LastAppliedView LastApplied(EnrolledTarget? record) =>
        new(record?.Vertical?.AppliedAt, record?.Horizontal?.AppliedAt, record?.Vertical?.SuggestionUid, record?.Horizontal?.SuggestionUid);

    private static ConditionView? Condition(TargetCondition? condition) =>
        condition is null ? null : new ConditionView(condition.Status.ToString(), condition.Reason, condition.Message, condition.LastTransitionTime);

    private static ResourcesView? Resources(ResourceAmounts? amounts) =>
        amounts is null || (amounts.Cpu is null && amounts.Memory is null)
            ? null
            : new ResourcesView(amounts.Cpu?.ToString(), amounts.Memory?.ToString(), amounts.Cpu?.ToDouble(), amounts.Memory?.ToDouble());
}
